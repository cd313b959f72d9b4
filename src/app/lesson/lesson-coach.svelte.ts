// What the lesson page knows about the learner's work beyond the run: the last check's verdict
// (from the sandbox, LessonChecker), the hints revealed, and the learner's own code while the
// solution is in the editor. Invariant: every change that progress counts is recorded through
// the progress board under the lesson's id; the verdict always says which code it judged.

import type { Lesson } from '../../lessons/lesson.ts';
import { LessonChecker } from '../../worker/lesson-checker.ts';
import type { LessonCheckResult } from '../../worker/protocol.ts';
import { clearDraft, loadDraft, saveDraft } from '../drafts.ts';
import { progressBoard } from './progress-board.svelte.ts';

/** The editor the coach loads code into (the page's RunSession). */
export interface CodeHolder {
  code: string;
}

export class LessonCoach {
  /** The last check's outcome; null before the first check. */
  result: LessonCheckResult | null = $state(null);
  /** The code the last result judged. */
  checkedCode: string | null = $state(null);
  checking = $state(false);
  /** Hints revealed, in order (remembered across visits through the progress store). */
  hintsShown = $state(0);
  /** The learner's own code while the solution is in the editor; null otherwise. */
  myCode: string | null = $state(null);

  private readonly checker = new LessonChecker();
  private readonly mineId: string;

  constructor(
    readonly lesson: Lesson,
    private readonly draftId: string,
  ) {
    this.mineId = `${draftId}/mine`;
    void progressBoard.load().then(() => {
      this.hintsShown = Math.max(this.hintsShown, progressBoard.get(lesson.id)?.hintsShown ?? 0);
      void progressBoard.record(lesson.id, { type: 'opened' });
    });
    void loadDraft(this.mineId)
      .then((mine) => {
        if (mine !== undefined && this.myCode === null) this.myCode = mine;
      })
      .catch(() => {});
  }

  get passed(): boolean {
    return this.result?.kind === 'verdict' && this.result.pass;
  }

  /** Runs the lesson's check on `code` in the sandbox and records it. */
  async check(code: string): Promise<LessonCheckResult> {
    this.checking = true;
    try {
      const result = await this.checker.check({
        source: code,
        checkSource: this.lesson.check.text,
        input: this.lesson.input,
        settings: this.lesson.settings,
      });
      this.result = result;
      this.checkedCode = code;
      // A broken check is not the learner's attempt; a pipeline that does not compile is.
      if (result.kind === 'verdict' || result.where === 'pipeline') {
        void progressBoard.record(this.lesson.id, { type: 'checked', pass: result.kind === 'verdict' && result.pass });
      }
      return result;
    } finally {
      this.checking = false;
    }
  }

  showHint(): void {
    if (this.hintsShown >= this.lesson.hints.length) return;
    this.hintsShown++;
    void progressBoard.record(this.lesson.id, { type: 'hint', shown: this.hintsShown });
  }

  /** Puts the solution in the editor, keeping the learner's code to go back to. */
  showSolution(editor: CodeHolder): void {
    if (this.myCode === null) {
      this.myCode = editor.code;
      void saveDraft(this.mineId, editor.code).catch(() => {});
    }
    editor.code = this.lesson.solution.text;
    void progressBoard.record(this.lesson.id, { type: 'solution' });
  }

  /** Brings the learner's own code back into the editor. */
  backToMyCode(editor: CodeHolder): void {
    if (this.myCode === null) return;
    editor.code = this.myCode;
    void saveDraft(this.draftId, this.myCode).catch(() => {});
    this.myCode = null;
    void clearDraft(this.mineId).catch(() => {});
  }

  /** Forgets this lesson's progress, verdict and hints (the code stays). */
  async resetProgress(): Promise<void> {
    await progressBoard.reset(this.lesson.id);
    this.result = null;
    this.checkedCode = null;
    this.hintsShown = 0;
  }

  dispose(): void {
    void this.checker.dispose();
  }
}

import { describe, expect, it } from 'vitest';
import { shortcutFor, type KeyInput } from '../../src/app/controls/shortcuts.ts';

const key = (k: string, more: Partial<KeyInput> = {}): KeyInput => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, targetTag: 'BODY', ...more });

describe('keyboard shortcuts', () => {
  it('space plays or pauses and "." steps when focus is on the page', () => {
    expect(shortcutFor(key(' '))).toBe('togglePlay');
    expect(shortcutFor(key('.'))).toBe('step');
    expect(shortcutFor(key('x'))).toBeNull();
  });

  it('leave keys to the editor, text fields and select boxes', () => {
    expect(shortcutFor(key(' ', { inEditor: true, targetTag: 'TEXTAREA' }))).toBeNull();
    expect(shortcutFor(key('.', { targetTag: 'INPUT' }))).toBeNull();
    expect(shortcutFor(key(' ', { targetTag: 'SELECT' }))).toBeNull();
    expect(shortcutFor(key(' ', { targetTag: 'DIV', targetEditable: true }))).toBeNull();
  });

  it('leave space to buttons and sliders, which it presses or moves', () => {
    expect(shortcutFor(key(' ', { targetTag: 'BUTTON' }))).toBeNull();
    expect(shortcutFor(key(' ', { targetTag: 'DIV', targetRole: 'separator' }))).toBeNull();
    expect(shortcutFor(key('.', { targetTag: 'BUTTON' }))).toBe('step');
  });

  it('Ctrl+Enter and Cmd+Enter run from anywhere, the editor included', () => {
    expect(shortcutFor(key('Enter', { ctrlKey: true, inEditor: true }))).toBe('run');
    expect(shortcutFor(key('Enter', { metaKey: true, targetTag: 'INPUT' }))).toBe('run');
    expect(shortcutFor(key('Enter'))).toBeNull();
    expect(shortcutFor(key(' ', { ctrlKey: true }))).toBeNull();
  });

  it('arrow and page keys move between panels only while presenting', () => {
    expect(shortcutFor(key('ArrowRight'), true)).toBe('nextPanel');
    expect(shortcutFor(key('PageDown'), true)).toBe('nextPanel');
    expect(shortcutFor(key('ArrowLeft'), true)).toBe('previousPanel');
    expect(shortcutFor(key('PageUp'), true)).toBe('previousPanel');
    expect(shortcutFor(key('ArrowRight'))).toBeNull();
    expect(shortcutFor(key('ArrowRight', { targetTag: 'INPUT' }), true)).toBeNull();
  });
});

// The code editor harness (editor-test.html): one CodeEditor with a draft, reset to starter,
// a run counter and a simulated runtime error, for the editor's end-to-end test and screenshots.
import { mount } from 'svelte';
import '../app.css';
import EditorTest from './EditorTest.svelte';

const target = document.getElementById('editor-test');
if (!target) throw new Error('editor-test.html has no #editor-test element');

export default mount(EditorTest, { target });

// Browser entry point: mounts the Brook app into index.html, installs the panels' theme
// variables, and registers the offline service worker once the page has loaded.
import { mount } from 'svelte';
import App from './App.svelte';
import { registerServiceWorker } from './shell/pwa-register.ts';
import { installTheme } from '../viz/theme.ts';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

installTheme();
registerServiceWorker();

export default mount(App, { target });

// `#backend-setup` is the real Tauri backend in production and the bridge's shim in the bridge
// build (vite.config.ts); it must run before the app makes its first call.
import '#backend-setup';
import { mount } from 'svelte';
import App from './App.svelte';
import './styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('no #app element');
export default mount(App, { target });

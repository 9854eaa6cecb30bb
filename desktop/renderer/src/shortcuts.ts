// Keyboard shortcuts, registered by each screen for as long as it is on screen, listed together in the
// shortcut dialog (?). One window-level listener dispatches them; keys typed into an input, a textarea,
// a select or an editable element are left alone (except Escape), so typing a "j" in a note never
// moves the selection.
//
// Keys are written as KeyboardEvent.key values with optional modifiers: 'j', 'ArrowDown', 'Enter',
// '/', '?', 'Escape', 'ctrl+s', 'shift+a', 'g q' (a two-key sequence). Letters match either case.
import { getCurrentScope, onScopeDispose, shallowRef, triggerRef } from 'vue';

export interface Shortcut {
  /** One or more alternatives, each e.g. 'j', 'ArrowDown', 'ctrl+Enter', 'g q'. */
  keys: string[];
  /** What it does, as a message key (shown in the shortcut list). */
  messageKey: string;
  /** Params of the message, if any. */
  params?: Record<string, string | number>;
  /** Return false to let the event continue to the page (e.g. when the shortcut does not apply now). */
  run: (event: KeyboardEvent) => void | boolean;
  /** Also fire while typing in a field (Escape-like keys, ctrl+Enter to submit). */
  allowInInputs?: boolean;
  /** Hide from the list (e.g. an alternative already shown). */
  hidden?: boolean;
}

export interface ShortcutGroup {
  id: number;
  /** A message key naming where these apply: 'ui.shortcuts.scope.global', 'ui.shortcuts.scope.queue', … */
  scope: string;
  shortcuts: Shortcut[];
}

let nextId = 1;
const groups = shallowRef<ShortcutGroup[]>([]);
let pending: string | null = null;
let pendingTimer: ReturnType<typeof setTimeout> | null = null;

/** Registers shortcuts under a scope; returns the unregister function (also called when the calling component unmounts). */
export function registerShortcuts(scope: string, shortcuts: Shortcut[]): () => void {
  const group: ShortcutGroup = { id: nextId++, scope, shortcuts };
  groups.value = [...groups.value, group];
  install();
  let removed = false;
  const unregister = () => {
    if (removed) return;
    removed = true;
    groups.value = groups.value.filter((g) => g.id !== group.id);
  };
  if (getCurrentScope()) onScopeDispose(unregister);
  return unregister;
}

/** Every shortcut group registered now (reactive: the list dialog re-renders as screens come and go). */
export function listShortcuts(): readonly ShortcutGroup[] {
  return groups.value;
}

/** The reactive list itself, for components. */
export const shortcutGroups = groups;

/** True when the event was typed into something that takes text. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = ((el as HTMLInputElement).type || 'text').toLowerCase();
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
  }
  return el.closest('[contenteditable="true"], [role="textbox"], [role="combobox"]') !== null;
}

/** 'ctrl+shift+k' style name of a key event (letters lower-cased; shift kept only for non-printing keys and letters). */
export function eventKeyName(event: KeyboardEvent): string {
  const parts: string[] = [];
  if (event.ctrlKey) parts.push('ctrl');
  if (event.metaKey) parts.push('meta');
  if (event.altKey) parts.push('alt');
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  // Shift is part of printable symbols ('?', '/'), so only letters and named keys record it.
  if (event.shiftKey && (event.key.length > 1 || /[a-z]/i.test(event.key))) parts.push('shift');
  parts.push(key === ' ' ? 'Space' : key);
  return parts.join('+');
}

function normalize(combo: string): string {
  const parts = combo.split('+');
  const key = parts.pop() ?? '';
  const mods = parts.map((p) => p.toLowerCase());
  const order = ['ctrl', 'meta', 'alt', 'shift'];
  const sorted = order.filter((m) => mods.includes(m));
  return [...sorted, key.length === 1 ? key.toLowerCase() : key].join('+');
}

/** Handles one key event against the registry; true if a shortcut ran. Exported for tests. */
export function dispatchShortcut(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.isComposing) return false;
  const typing = isTypingTarget(event.target);
  const name = eventKeyName(event);
  const candidates = pending ? [`${pending} ${name}`, name] : [name];
  // The most recently registered group wins (a dialog over a screen).
  const list = [...groups.value].reverse();
  for (const candidate of candidates) {
    for (const group of list) {
      for (const shortcut of group.shortcuts) {
        if (typing && !shortcut.allowInInputs) continue;
        if (!shortcut.keys.some((k) => k.split(' ').map(normalize).join(' ') === candidate)) continue;
        clearPending();
        const result = shortcut.run(event);
        if (result === false) continue;
        event.preventDefault();
        return true;
      }
    }
  }
  // The first key of a sequence ('g' of 'g q') waits a moment for the second.
  if (!typing && list.some((g) => g.shortcuts.some((s) => s.keys.some((k) => k.includes(' ') && normalize(k.split(' ')[0]!) === name)))) {
    clearPending();
    pending = name;
    pendingTimer = setTimeout(clearPending, 1200);
    return false;
  }
  clearPending();
  return false;
}

function clearPending() {
  pending = null;
  if (pendingTimer) clearTimeout(pendingTimer);
  pendingTimer = null;
}

let installed = false;
function install() {
  if (installed || typeof window === 'undefined') return;
  installed = true;
  window.addEventListener('keydown', (event) => dispatchShortcut(event));
}

/** Keys as shown in the list: 'ctrl+Enter' → ['Ctrl', 'Enter']. */
export function keyLabels(combo: string): string[] {
  const names: Record<string, string> = {
    ctrl: 'Ctrl',
    meta: '⌘',
    alt: 'Alt',
    shift: 'Shift',
    ArrowDown: '↓',
    ArrowUp: '↑',
    ArrowLeft: '←',
    ArrowRight: '→',
    Escape: 'Esc',
    Space: 'Space',
  };
  return combo.split(' ').flatMap((step) => step.split('+').map((p) => names[p] ?? (p.length === 1 ? p : p)));
}

/** For tests: forget every registration. */
export function resetShortcuts(): void {
  groups.value = [];
  triggerRef(groups);
  clearPending();
}

// The shortcut registry: a key runs the newest matching shortcut, keys typed into a field are left
// alone (unless the shortcut says otherwise), sequences work, unregistering (or unmounting) removes
// them, and the list the shortcut dialog shows holds every registered scope.
// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { mount } from '@vue/test-utils';
import { dispatchShortcut, listShortcuts, registerShortcuts, resetShortcuts } from '../../desktop/renderer/src/shortcuts';
import ShortcutsDialog from '../../desktop/renderer/src/components/ShortcutsDialog.vue';
import { i18n, setLanguage } from '../../desktop/renderer/src/i18n';

function press(key: string, target: EventTarget = document.body, init: KeyboardEventInit = {}) {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

describe('shortcuts', () => {
  afterEach(() => {
    resetShortcuts();
    document.body.innerHTML = '';
  });

  it('runs the shortcut of a key and prevents the default action', () => {
    const next = vi.fn();
    registerShortcuts('ui.shortcuts.scope.queue', [{ keys: ['j', 'ArrowDown'], messageKey: 'ui.shortcuts.next_case', run: next }]);
    expect(press('j').defaultPrevented).toBe(true);
    press('ArrowDown');
    press('J', document.body, { shiftKey: true }); // shift+j is another shortcut
    expect(next).toHaveBeenCalledTimes(2);
  });

  it('ignores keys typed into inputs, textareas and editable elements, unless allowed', () => {
    const next = vi.fn();
    const escape = vi.fn();
    registerShortcuts('ui.shortcuts.scope.queue', [
      { keys: ['j'], messageKey: 'ui.shortcuts.next_case', run: next },
      { keys: ['Escape'], messageKey: 'ui.shortcuts.leave_search', run: escape, allowInInputs: true },
    ]);
    const input = document.createElement('input');
    const textarea = document.createElement('textarea');
    const editable = document.createElement('div');
    editable.contentEditable = 'true';
    const checkbox = document.createElement('input');
    checkbox.type = 'checkbox';
    document.body.append(input, textarea, editable, checkbox);
    expect(press('j', input).defaultPrevented).toBe(false);
    press('j', textarea);
    press('j', editable);
    expect(next).not.toHaveBeenCalled();
    press('j', checkbox);
    expect(next).toHaveBeenCalledTimes(1);
    press('Escape', input);
    expect(escape).toHaveBeenCalledTimes(1);
  });

  it('gives the newest registration precedence, and a shortcut may decline', () => {
    const screen = vi.fn();
    const dialog = vi.fn(() => false as const);
    registerShortcuts('ui.shortcuts.scope.queue', [{ keys: ['Enter'], messageKey: 'ui.shortcuts.open_case', run: screen }]);
    registerShortcuts('ui.shortcuts.scope.global', [{ keys: ['Enter'], messageKey: 'ui.shortcuts.show_list', run: dialog }]);
    press('Enter');
    expect(dialog).toHaveBeenCalledTimes(1);
    expect(screen).toHaveBeenCalledTimes(1);
  });

  it('runs two-key sequences', () => {
    const go = vi.fn();
    registerShortcuts('ui.shortcuts.scope.global', [{ keys: ['g q'], messageKey: 'ui.shortcuts.go_queue', run: go }]);
    press('g');
    press('q');
    expect(go).toHaveBeenCalledTimes(1);
    press('q');
    expect(go).toHaveBeenCalledTimes(1);
  });

  it('lists every registered scope and forgets a component’s shortcuts when it unmounts', () => {
    const Screen = defineComponent({
      setup() {
        registerShortcuts('ui.shortcuts.scope.supervisor', [{ keys: ['r'], messageKey: 'ui.shortcuts.refresh', run: () => undefined }]);
        return () => h('div');
      },
    });
    const off = registerShortcuts('ui.shortcuts.scope.global', [{ keys: ['?'], messageKey: 'ui.shortcuts.show_list', run: () => undefined }]);
    const wrapper = mount(Screen);
    expect(listShortcuts().map((g) => g.scope)).toEqual(['ui.shortcuts.scope.global', 'ui.shortcuts.scope.supervisor']);
    wrapper.unmount();
    expect(listShortcuts().map((g) => g.scope)).toEqual(['ui.shortcuts.scope.global']);
    off();
    expect(listShortcuts()).toEqual([]);
    expect(dispatchShortcut(new KeyboardEvent('keydown', { key: '?' }))).toBe(false);
  });

  it('the shortcut list shows each shortcut with its keys, translated', async () => {
    setLanguage('zh-CN');
    registerShortcuts('ui.shortcuts.scope.queue', [{ keys: ['j', 'ArrowDown'], messageKey: 'ui.shortcuts.next_case', run: () => undefined }]);
    registerShortcuts('workspace.shortcuts.scope', [{ keys: ['n'], messageKey: 'ui.shortcuts.refresh', run: () => undefined }]);
    const wrapper = mount(ShortcutsDialog, { props: { modelValue: true }, global: { plugins: [i18n] }, attachTo: document.body });
    await wrapper.vm.$nextTick();
    const text = document.body.textContent ?? '';
    expect(text).toContain('键盘快捷键');
    expect(text).toContain('案件队列');
    expect(text).toContain('下一个案件');
    expect(text).toContain('↓');
    wrapper.unmount();
    setLanguage('en');
  });
});

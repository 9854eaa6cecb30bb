// The form composable: the contract's zod schema decides, each field shows its translated message (and
// follows a language switch), and an error the contract answers lands on the field it names — here
// from a real workstation engine behind the real router.
// @vitest-environment happy-dom
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInInput, queueFilterSchema } from '../../desktop/contract/schemas';
import { useForm } from '../../desktop/renderer/src/forms';
import { setLanguage } from '../../desktop/renderer/src/i18n';
import { openRendererWorkstation, type RendererWorkstation } from './support';

let ws: RendererWorkstation;
beforeAll(async () => {
  // A server nobody answers on: sign-in fails as it does on a plane.
  ws = await openRendererWorkstation('http://127.0.0.1:9');
});
afterAll(async () => {
  setLanguage('en');
  await ws?.close();
});

describe('useForm', () => {
  it('shows the schema’s messages at their fields, translated, and follows a language switch', () => {
    setLanguage('en');
    const form = useForm(signInInput, { email: 'not an email', password: '', totpCode: '12' });
    expect(form.validate()).toBeNull();
    expect(form.error('email')).toBe('Not a valid email address.');
    expect(form.error('password')).toMatch(/required/i);
    expect(form.error('totpCode')).not.toBe('');
    setLanguage('zh-CN');
    expect(form.error('email')).toMatch(/[\u4e00-\u9fff]/);
    setLanguage('en');
    form.values.email = 'wang@example.com';
    expect(form.validateField('email')).toBe(true);
    expect(form.error('email')).toBe('');
    expect(form.error('password')).not.toBe('');
  });

  it('checks cross-field rules of the contract (a reversed VIP range) at the field the schema names', () => {
    const form = useForm(queueFilterSchema, { vipMin: 5, vipMax: 2 });
    expect(form.validate()).toBeNull();
    expect(form.error('vipMax')).toBe('The upper bound is below the lower bound.');
  });

  it('puts the contract’s own refusal of bad input on the same field', async () => {
    const form = useForm(signInInput, { email: 'wang@example.com', password: 'x' });
    // Sent as typed, past the form's own check: the router validates again and names the field.
    await expect(ws.client.session.signIn.mutate({ email: 'nope', password: 'x' })).rejects.toBeTruthy();
    const error = await ws.client.session.signIn.mutate({ email: 'nope', password: 'x' }).catch((e: unknown) => e);
    const info = form.applyError(error);
    expect(info.field).toBe('email');
    expect(form.error('email')).toBe('Not a valid email address.');
    expect(form.formError.value).toBe('');
  });

  it('shows an error that names no field of the form for the whole form', async () => {
    const form = useForm(signInInput, { email: 'wang@example.com', password: 'secret' });
    const result = await form.submit((input) => ws.client.session.signIn.mutate(input));
    expect(result).toBeUndefined();
    expect(form.formError.value).toBe('The server cannot be reached. Check the connection and try again.');
    setLanguage('zh-CN');
    expect(form.formError.value).toBe('无法连接服务器。请检查网络后重试。');
    setLanguage('en');
  });
});

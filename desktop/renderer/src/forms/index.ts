export { useForm, type UseForm, type FormOptions } from './use-form';

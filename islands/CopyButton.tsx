import { useSignal } from '@preact/signals';
import { island } from '../web/island.tsx';

/**
 * Copies a secret or snippet shown on the page. The text itself stays visible and selectable beside the button, so
 * without JavaScript (or clipboard permission) it can still be copied by hand; the outcome is announced politely.
 */
function CopyButton(props: { text: string; label: string }) {
  const said = useSignal('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      said.value = 'Copied to the clipboard';
    } catch {
      said.value = 'Copying was not allowed; select the text and copy it by hand';
    }
  };
  return (
    <span class="inline-flex items-center gap-2">
      <button type="button" class="btn-secondary" onClick={copy}>
        {props.label}
      </button>
      <span role="status" class="text-sm text-slate-700">
        {said.value}
      </span>
    </span>
  );
}

export default island('CopyButton', CopyButton);

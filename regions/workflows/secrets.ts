import type { WorkflowAction } from '../../openapi/schemas/workflows.ts';
import { isSealed, type SecretBox } from '../support/secret-box.ts';

/** Bound into the seal, so a secret copied from one workflow onto another does not open. */
export const workflowSecretContext = (workflowId: string) => `workflow:${workflowId}`;

type Reseal = (value: string, context: string) => Promise<string | null>;

/** The actions with every `call_webhook` signing secret sealed, as they are stored (a run copies them sealed). */
export function sealActionSecrets(
  box: SecretBox,
  workflowId: string,
  actions: readonly WorkflowAction[],
): Promise<WorkflowAction[]> {
  return Promise.all(
    actions.map(async (a) =>
      a.type === 'call_webhook' && a.secret && !isSealed(a.secret)
        ? { ...a, secret: await box.seal(a.secret, workflowSecretContext(workflowId)) }
        : a,
    ),
  );
}

/** A step's signing secret as stored; one written before secrets were sealed is plain. */
export async function openActionSecret(box: SecretBox, workflowId: string, stored: string): Promise<string> {
  return isSealed(stored) ? box.open(stored, workflowSecretContext(workflowId)) : stored;
}

/**
 * The actions with each secret that `needsSealing` sealed anew (by `reseal`), or null when none needed it or one
 * would not open (then the row is left for an operator, as the reseal counts a failure).
 */
export async function resealActionSecrets(
  workflowId: string,
  actions: readonly WorkflowAction[],
  needsSealing: (value: string) => boolean,
  reseal: Reseal,
): Promise<WorkflowAction[] | null> {
  let changed = false;
  const next: WorkflowAction[] = [];
  for (const a of actions) {
    if (a.type !== 'call_webhook' || !a.secret || !needsSealing(a.secret)) {
      next.push(a);
      continue;
    }
    const sealed = await reseal(a.secret, workflowSecretContext(workflowId));
    if (!sealed) return null;
    next.push({ ...a, secret: sealed });
    changed = true;
  }
  return changed ? next : null;
}

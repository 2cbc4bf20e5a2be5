import { KubeConfig } from '@kubernetes/client-node';
import { InputError } from '../../core/errors.ts';

/**
 * The named context from the default kubeconfig ($KUBECONFIG or ~/.kube/config), never the current one: a run or a
 * clean acts only on the cluster the user named. An InputError (exit 2) when the kubeconfig has no such context.
 */
export function loadContextKubeConfig(name: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  if (!kc.getContextObject(name)) {
    const known = kc.getContexts().map((c) => c.name);
    throw new InputError([
      `--context ${name} is not in the kubeconfig: choose one of ${known.length > 0 ? known.join(', ') : '(none found)'}`,
    ]);
  }
  kc.setCurrentContext(name);
  return kc;
}

import { navigate } from '../router.js';
import { useSession } from '../session-context.js';
import { modelsApi } from './models-api.js';
import { useLoaded } from './use-loaded.js';

/**
 * First run: no model answers customers (menu mode). Points the owner to the Models page, where
 * servers on this machine and a recommended download are offered.
 */
export function ModelSetupBanner() {
  const { user } = useSession();
  const models = useLoaded(() =>
    user.role === 'owner' ? modelsApi.models() : Promise.resolve(null),
  );
  if (!models.value?.menuMode) return null;
  return (
    <p className="banner warning model-setup-banner" data-testid="model-setup-banner">
      No model is set up: customers get menus.{' '}
      <a
        href="/models"
        onClick={(event) => {
          event.preventDefault();
          navigate('/models');
        }}
      >
        Set up a model
      </a>{' '}
      — use one already running on this machine, or download a small one Parley runs itself.
    </p>
  );
}

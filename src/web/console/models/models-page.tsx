import { useEffect, useState } from 'react';
import { useSession } from '../session-context.js';
import {
  bytes,
  modelsApi,
  type WireDownload,
  type WireLicence,
  type WireLocalModels,
} from './models-api.js';
import { useLoaded } from './use-loaded.js';

const POLL_MS = 500;

/**
 * The business's models: routes per task, each model's licence facts and warnings, model servers
 * found on this machine (with the lines to add to the business file), and a one-click download of
 * a recommended small model that Parley runs itself.
 */
export function ModelsPage() {
  const models = useLoaded(() => modelsApi.models());
  const local = useLoaded(() => modelsApi.local());
  const downloading = local.value?.downloads.some((entry) => entry.status === 'downloading');
  const reloadLocal = local.reload;
  useEffect(() => {
    if (!downloading) return;
    const timer = setInterval(reloadLocal, POLL_MS);
    return () => clearInterval(timer);
  }, [downloading, reloadLocal]);

  const value = models.value;
  return (
    <section className="models-page" aria-label="Models" data-testid="models">
      <header className="models-page-header">
        <h1>Models</h1>
      </header>
      {(models.error ?? local.error) && (
        <p className="banner danger" role="alert">
          {models.error ?? local.error}
        </p>
      )}
      {value?.menuMode && (
        <p className="banner warning" data-testid="models-menu-mode">
          No model answers your customers yet: they get menus (browse, book, order status, talk to a
          person). Use a model server found on this machine, or download the recommended model
          below.
        </p>
      )}
      {value?.warnings?.map((warning) => (
        <p className="banner warning" data-testid="models-config-warning" key={warning}>
          {warning}
        </p>
      ))}
      {value && value.models.length > 0 && (
        <div className="models-card">
          <h2>Configured models</h2>
          <table className="models-table" data-testid="models-routes">
            <thead>
              <tr>
                <th>Task</th>
                <th>Primary</th>
                <th>Fallbacks</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(value.routes).map(([task, route]) => (
                <tr key={task}>
                  <td>{task}</td>
                  <td>{route.primary}</td>
                  <td>{route.fallbacks.join(' → ') || '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul className="models-list">
            {value.models.map((model) => (
              <li key={model.id} data-testid="model-entry" data-model={model.id}>
                <strong>{model.id}</strong> {model.model}{' '}
                <small className="muted">
                  {model.provider}, {model.location === 'local' ? 'runs here' : 'hosted elsewhere'}
                </small>
                {model.licence && <LicenceFacts licence={model.licence} />}
              </li>
            ))}
          </ul>
          <p className="muted" data-testid="models-licensing">
            Licences are checked for a business domiciled in{' '}
            {value.licensing.domicile ?? 'an unstated country'} with{' '}
            {value.licensing.monthlyActiveUsers?.toLocaleString('en') ?? 'an unstated number of'}{' '}
            monthly active users. Set business.domicile and business.monthlyActiveUsers in the
            business file so Parley can check every model's terms.
          </p>
        </div>
      )}
      {local.value && <LocalModels local={local.value} onStarted={reloadLocal} />}
    </section>
  );
}

const STATUS_LABELS: Record<WireLicence['status'], string> = {
  allowed: 'licence allows this business',
  refused: 'licence excludes this business',
  unknown: 'licence unknown',
};

function LicenceFacts({ licence }: { licence: WireLicence }) {
  return (
    <div className={`licence licence-${licence.status}`} data-testid="licence">
      <span className={`badge licence-badge-${licence.status}`}>
        {STATUS_LABELS[licence.status]}
      </span>{' '}
      {licence.name && (
        <>
          {licence.url ? (
            <a href={licence.url} target="_blank" rel="noreferrer">
              {licence.name}
            </a>
          ) : (
            licence.name
          )}
          {licence.openWeights === null ? '' : licence.openWeights ? ', open weights' : ', closed'}
        </>
      )}
      {licence.reasons.length > 0 && (
        <ul className="licence-reasons" data-testid="licence-reasons">
          {licence.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}
      {licence.duties.length > 0 && (
        <p className="muted">Your duties: {licence.duties.join(' ')}</p>
      )}
    </div>
  );
}

function LocalModels({ local, onStarted }: { local: WireLocalModels; onStarted: () => void }) {
  const { user } = useSession();
  const [error, setError] = useState<string | null>(null);
  const recommended = local.recommended[0];
  const download = recommended
    ? local.downloads.find((entry) => entry.name === recommended.name)
    : undefined;
  const pulled = recommended
    ? local.pulled.find((entry) => entry.name === recommended.name)
    : undefined;
  const start = async (source: string) => {
    setError(null);
    try {
      await modelsApi.pull(source);
      onStarted();
    } catch (cause) {
      setError((cause as Error).message);
    }
  };
  return (
    <>
      <div className="models-card" data-testid="model-servers">
        <h2>Model servers on this machine</h2>
        {local.servers.length === 0 ? (
          <p className="muted">
            None found (Ollama on port 11434, LM Studio 1234, llama.cpp's server 8080, vLLM 8000).
          </p>
        ) : (
          local.servers.map((server) => (
            <div key={server.baseUrl} className="model-server" data-testid="model-server">
              <p>
                <strong>{server.kind}</strong> at <code>{server.baseUrl}</code> serves{' '}
                {server.models.join(', ') || 'no models yet'}
              </p>
              <p className="muted">To answer customers with it, add to the business file:</p>
              <pre className="model-snippet">{server.snippet}</pre>
            </div>
          ))
        )}
      </div>
      {recommended && local.downloadsOffered && (
        <div className="models-card" data-testid="model-download">
          <h2>Download the recommended model</h2>
          <p>
            <strong>{recommended.name}</strong>: {recommended.note}. Parley runs it itself, on this
            machine: customers' messages never leave it.
          </p>
          <LicenceFacts licence={recommended.licence} />
          {pulled ? (
            <div data-testid="model-download-done">
              <p className="banner info">
                {recommended.name} is downloaded and recorded ({bytes(pulled.size)}). To answer
                customers with it, add to the business file and restart Parley:
              </p>
              <pre className="model-snippet">{pulled.snippet}</pre>
            </div>
          ) : download?.status === 'downloading' ? (
            <DownloadProgress download={download} />
          ) : (
            <>
              {download?.status === 'failed' && (
                <p className="banner danger" role="alert" data-testid="model-download-failed">
                  The download stopped: {download.error} What was received is kept; resume to
                  continue from there.
                </p>
              )}
              {user.role === 'owner' ? (
                <button
                  type="button"
                  className="button primary"
                  data-testid="model-download-start"
                  onClick={() => void start(recommended.name)}
                  disabled={recommended.licence.status === 'refused'}
                >
                  {download?.status === 'failed'
                    ? 'Resume download'
                    : `Download ${recommended.name}`}
                </button>
              ) : (
                <p className="muted">Only the owner can download models.</p>
              )}
            </>
          )}
          {error && (
            <p className="banner danger" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
      {local.pulled.length > 0 && (
        <div className="models-card" data-testid="models-pulled">
          <h2>Downloaded models</h2>
          <ul className="models-list">
            {local.pulled.map((model) => (
              <li key={model.name}>
                <strong>{model.name}</strong> {bytes(model.size)}{' '}
                <small className="muted">sha256 {model.sha256.slice(0, 12)}…</small>
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

function DownloadProgress({ download }: { download: WireDownload }) {
  const percent =
    download.totalBytes && download.totalBytes > 0
      ? Math.floor((download.receivedBytes / download.totalBytes) * 100)
      : null;
  return (
    <div data-testid="model-download-progress">
      <progress
        max={download.totalBytes ?? undefined}
        value={download.totalBytes ? download.receivedBytes : undefined}
        aria-label={`Downloading ${download.name}`}
      />
      <p>
        {bytes(download.receivedBytes)}
        {download.totalBytes ? ` of ${bytes(download.totalBytes)}` : ''}
        {percent !== null ? ` (${percent}%)` : ''}. You may leave this page: the download goes on,
        and an interrupted one resumes where it stopped.
      </p>
    </div>
  );
}

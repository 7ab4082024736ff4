import type { MessagePart } from '../../shared/wire-types.js';

type MediaPart = Extract<MessagePart, { type: 'media' }>;

const MEDIA_NOUNS: Record<MediaPart['kind'], string> = {
  image: 'Photo',
  video: 'Video',
  audio: 'Audio',
  voice: 'Voice note',
  document: 'Document',
  sticker: 'Sticker',
  file: 'File',
};

/** Where the console reads a downloaded file: the media route, members of the business only. */
export function mediaUrl(blobKey: string): string {
  return `/api/media/${blobKey.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * One part of a message, as the owner should see it: the customer's photo rather than "[Sent an
 * image]", a player for a voice note, a link for a location. Every kind of `MessagePart` has a
 * view; what Parley cannot show is labelled as such, never hidden.
 */
export function MessagePartView({ part }: { part: MessagePart }) {
  switch (part.type) {
    case 'text':
      return <p>{part.text}</p>;
    case 'choices':
      return (
        <ul className="chips" aria-label="Choices offered">
          {part.choices.map((choice) => (
            <li key={choice.id} className="chip" data-testid="choice-chip">
              {choice.title}
            </li>
          ))}
        </ul>
      );
    case 'choice-reply':
      return (
        <p>
          <span className="chip chosen" data-testid="choice-reply">
            {part.title}
          </span>
          {part.description && <span className="part-note"> {part.description}</span>}
        </p>
      );
    case 'media':
      return <MediaView part={part} />;
    case 'location':
      return (
        <p className="part-location" data-testid="part-location">
          <span className="part-label">Location</span>{' '}
          <a href={locationUrl(part)} target="_blank" rel="noreferrer noopener">
            {[part.name, part.address].filter(Boolean).join(', ') ||
              `${part.latitude}, ${part.longitude}`}
          </a>
        </p>
      );
    case 'contacts':
      return (
        <ul className="part-contacts" data-testid="part-contacts" aria-label="Shared contacts">
          {part.contacts.map((card, index) => (
            <li key={index}>
              <strong>{card.name}</strong>
              {card.organization && <span className="part-note"> · {card.organization}</span>}
              {card.phones.map((phone) => (
                <a key={phone.phone} href={`tel:${phone.phone.replace(/[^\d+]/g, '')}`}>
                  {phone.phone}
                  {phone.type ? ` (${phone.type.toLowerCase()})` : ''}
                </a>
              ))}
              {card.emails.map((email) => (
                <a key={email} href={`mailto:${email}`}>
                  {email}
                </a>
              ))}
            </li>
          ))}
        </ul>
      );
    case 'reaction':
      return (
        <p className="part-event" data-testid="part-reaction">
          {part.emoji ? (
            <>
              Reacted <span className="part-emoji">{part.emoji}</span> to a message
            </>
          ) : (
            'Removed a reaction'
          )}
        </p>
      );
    case 'order':
      return (
        <div className="part-order" data-testid="part-order">
          <span className="part-label">Order from the catalog</span>
          <ul>
            {part.items.map((item, index) => (
              <li key={index}>
                {item.quantity} × {item.productRetailerId}{' '}
                <span className="part-note">
                  at {item.itemPrice} {item.currency}
                </span>
              </li>
            ))}
          </ul>
          {part.text && <p>{part.text}</p>}
        </div>
      );
    case 'form-reply':
      return (
        <div className="part-form" data-testid="part-form">
          <span className="part-label">Form “{part.name}” answered</span>
          <FormAnswers response={part.response} />
        </div>
      );
    case 'reply-to':
      return (
        <p className="part-event" data-testid="part-reply-to">
          ↩ In reply to an earlier message
        </p>
      );
    case 'forwarded':
      return (
        <p className="part-event" data-testid="part-forwarded">
          {part.frequently ? 'Forwarded many times' : 'Forwarded'}
        </p>
      );
    case 'referral':
      return (
        <p className="part-event" data-testid="part-referral">
          Came from {part.source === 'ad' ? 'an ad' : `a ${part.source}`}
          {part.headline && `: ${part.headline}`}
          {isWebLink(part.sourceUrl) && (
            <>
              {' '}
              (
              <a href={part.sourceUrl} target="_blank" rel="noreferrer noopener">
                open
              </a>
              )
            </>
          )}
        </p>
      );
    case 'revoked':
      return (
        <p className="part-event" data-testid="part-revoked">
          The customer deleted a message
        </p>
      );
    case 'notice':
      return (
        <p className="part-event" data-testid="part-notice">
          {part.text}
        </p>
      );
    case 'unsupported':
      return (
        <p className="part-unsupported" data-testid="part-unsupported">
          A {part.providerType} message, which Parley cannot show
          {part.detail ? ` (${part.detail})` : ''}. Open the customer's app to see it.
        </p>
      );
  }
}

function MediaView({ part }: { part: MediaPart }) {
  const noun = MEDIA_NOUNS[part.kind];
  const caption = part.caption ? <p>{part.caption}</p> : null;
  if (!part.blobKey) {
    return (
      <div className="part-media" data-testid="part-media" data-kind={part.kind}>
        <p className="part-unsupported">
          {noun}
          {part.filename ? ` “${part.filename}”` : ''}:{' '}
          {part.downloadError
            ? `could not be downloaded (${part.downloadError})`
            : 'not downloaded yet'}
        </p>
        {caption}
      </div>
    );
  }
  const url = mediaUrl(part.blobKey);
  return (
    <div className="part-media" data-testid="part-media" data-kind={part.kind}>
      {part.kind === 'image' || part.kind === 'sticker' ? (
        <a href={url} target="_blank" rel="noreferrer">
          <img
            src={url}
            alt={part.caption ?? noun}
            className={part.kind === 'sticker' ? 'part-sticker' : 'part-image'}
            loading="lazy"
          />
        </a>
      ) : part.kind === 'audio' || part.kind === 'voice' ? (
        <>
          <span className="part-label">{noun}</span>
          <audio controls preload="metadata" src={url} aria-label={noun} />
        </>
      ) : part.kind === 'video' ? (
        <video controls preload="metadata" src={url} className="part-video" aria-label={noun} />
      ) : (
        <a href={url} download={part.filename ?? true} className="part-file">
          {noun}: {part.filename ?? 'download'}
        </a>
      )}
      {part.transcript !== undefined && (
        <p className="part-transcript" data-testid="part-transcript">
          “{part.transcript}”
        </p>
      )}
      {caption}
    </div>
  );
}

function FormAnswers({ response }: { response: unknown }) {
  if (response === null || typeof response !== 'object' || Array.isArray(response)) {
    return <pre>{JSON.stringify(response, null, 2)}</pre>;
  }
  return (
    <dl>
      {Object.entries(response).map(([field, value]) => (
        <div key={field}>
          <dt>{field}</dt>
          <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function locationUrl(part: Extract<MessagePart, { type: 'location' }>): string {
  if (isWebLink(part.url)) return part.url;
  const { latitude, longitude } = part;
  return `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}`;
}

/** Links from the channel open only if they are web links (never `javascript:` or `data:`). */
function isWebLink(url: string | undefined): url is string {
  return url !== undefined && /^https?:\/\//i.test(url);
}

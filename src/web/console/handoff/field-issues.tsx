/** The server's validation messages for one field, shown right under it. */
export function FieldIssues({ messages }: { messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <ul className="field-issues" role="alert" data-testid="field-issue">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}

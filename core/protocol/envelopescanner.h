#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace boo {

// The two strings of an `/api/events` envelope in its usual shape, `{"type":"…","data":"…"}`.
struct ScannedEnvelope
{
    QByteArray type; // ASCII
    QByteArray data; // the unescaped UTF-8 text of `data` (itself JSON: llama-swap double-encodes)
};

// Reads an envelope whose members are all strings without building a JSON tree.
//
// Why: `data` is a JSON document escaped into a string, so every quote inside it arrives as \";
// QJsonDocument unescapes such strings a character at a time into UTF-16, and we then convert
// the result back to UTF-8 to parse it again. That was half of the event-stream thread's time
// under gateway load; this scanner copies the unescaped bytes straight through.
//
// It only answers for input it can read exactly as a JSON parser would: anything else (another
// member type, a duplicate or missing `type`/`data`, an escape it does not take, a lone
// surrogate, a control character, non-ASCII in `type`, trailing bytes) gives nullopt, and the
// caller parses the envelope in full, which also names what is wrong with it.
std::optional<ScannedEnvelope> scanStringEnvelope(QByteArrayView json);

} // namespace boo

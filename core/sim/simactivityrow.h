#pragma once

#include <QList>
#include <QString>

#include <utility>

namespace boo {

class GoJsonWriter;

// One activity record (llama-swap's ActivityLogEntry, reference §4.2).
struct SimActivityRow
{
    qint64 id = 0;
    qint64 timestampNs = 0; // when the response finished
    QString model;
    QString reqPath;
    QString respContentType;
    int status = 200;
    // -1 means "not reported"; all zero when nothing could be parsed (errors).
    qint64 cacheTokens = 0;
    qint64 draftTokens = 0;
    qint64 draftAcceptedTokens = 0;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    double promptPerSecond = 0;
    double tokensPerSecond = 0;
    qint64 durationMs = 0;
    QString errorMessage;
    QList<std::pair<QString, QString>> metadata; // sorted by key (a Go map)
    QString src;                                 // v260 caller tag ("xff:10.0.0.7"), omitted when empty

    // Writes the JSON object. `nanoTimestamps`: v235 kept full precision, later releases store
    // whole seconds.
    void write(GoJsonWriter &w, bool hasCapture, int utcOffsetSeconds, bool nanoTimestamps) const;
};

} // namespace boo

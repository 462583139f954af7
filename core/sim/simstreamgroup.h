#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <deque>
#include <memory>
#include <vector>

namespace boo {

class HttpStream;

// Long-lived responses of one kind (SSE clients, log tails), each with a tag (e.g. the log
// source it follows). Slow readers lose messages instead of growing memory, as in llama-swap.
//
// By default the bound is bytes not yet sent (log tails). With a message queue (SSE) it is
// llama-swap's own: each subscriber has a channel of N messages in front of a writer that
// blocks while the client's socket is full (here: more than `maxPendingBytes` not yet taken by
// the operating system) or while the host is stalled; a message that finds the channel full is
// dropped, silently, and the client is never told.
class SimStreamGroup final : public QObject
{
    Q_OBJECT

public:
    explicit SimStreamGroup(qint64 maxPendingBytes, QObject *parent = nullptr);
    ~SimStreamGroup() override;
    Q_DISABLE_COPY_MOVE(SimStreamGroup)

    void add(std::unique_ptr<HttpStream> stream, QString tag = {});
    // Writes to every open stream whose tag equals `tag` (all streams when `tag` is null).
    void write(const QByteArray &data, const QString &tag = QString());
    bool isEmpty() const;
    bool hasTag(const QString &tag) const;
    int count() const;
    // Proper end of every body (a config reload) or a reset of every connection (a crash).
    void endAll();
    void abortAll();
    // Queue up to `maxMessages` per stream while its writer is blocked (0: no queue, drop).
    void setMessageQueue(int maxMessages) { m_maxQueued = maxMessages; }
    // While silenced nothing is written (a stalled host). With a message queue, messages wait
    // in it instead (up to its bound) and are sent when the silence ends, as the writers of a
    // process that hung and recovered would send them.
    void setSilenced(bool silenced);
    qint64 droppedWrites() const { return m_dropped; }

private:
    struct Entry
    {
        std::unique_ptr<HttpStream> stream;
        QString tag;
        std::deque<QByteArray> queued; // the subscriber's channel (message-queue mode)
    };
    bool writerBlocked(const Entry &e) const;
    void flush(Entry &e);
    void flushAll();
    void sweep();

    qint64 m_maxPending;
    std::vector<Entry> m_entries;
    int m_maxQueued = 0;
    bool m_silenced = false;
    bool m_sweepQueued = false;
    qint64 m_dropped = 0;
};

} // namespace boo

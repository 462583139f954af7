#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

#include <memory>
#include <vector>

namespace boo {

class HttpStream;

// Long-lived responses of one kind (SSE clients, log tails), each with a tag (e.g. the log
// source it follows). Slow readers lose messages instead of growing memory, as in llama-swap
// (1024-message SSE queue, 10-chunk log queue); here the bound is bytes not yet sent.
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
    // While silenced nothing is written (a stalled host).
    void setSilenced(bool silenced) { m_silenced = silenced; }
    qint64 droppedWrites() const { return m_dropped; }

private:
    struct Entry
    {
        std::unique_ptr<HttpStream> stream;
        QString tag;
    };
    void sweep();

    qint64 m_maxPending;
    std::vector<Entry> m_entries;
    bool m_silenced = false;
    bool m_sweepQueued = false;
    qint64 m_dropped = 0;
};

} // namespace boo

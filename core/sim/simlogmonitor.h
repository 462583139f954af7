#pragma once

#include <QByteArray>
#include <QObject>

#include <deque>

namespace boo {

// A log ring like llama-swap's logmon: the newest `capacity` bytes (not lines) of history, and
// every write forwarded live to subscribers (/logs/stream, SSE logData).
class SimLogMonitor final : public QObject
{
    Q_OBJECT

public:
    explicit SimLogMonitor(qsizetype capacity = 100 * 1024, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SimLogMonitor)

    void write(const QByteArray &chunk);
    QByteArray history() const;
    void clear();
    qsizetype size() const { return m_size; }

Q_SIGNALS:
    void written(const QByteArray &chunk);

private:
    qsizetype m_capacity;
    qsizetype m_size = 0;
    std::deque<QByteArray> m_chunks; // a deque of chunks avoids moving 100 KiB on every write
};

} // namespace boo

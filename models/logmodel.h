#pragma once

#include "core/protocol/loglinesplitter.h"

#include <QAbstractListModel>
#include <QTimer>

namespace boo {

// The lines of one log (a host's proxy, upstream or model log) for the Logs tab: the last
// kMaxLines, ANSI colours as text formats (FormatsRole), plain text for search and copy.
//
// Paused (the operator scrolled up to read), new lines wait outside the model so that what is
// being read does not move; resuming inserts them in one go. Appends are batched per
// kInsertIntervalMs, like every live model here.
class LogModel final : public QAbstractListModel
{
    Q_OBJECT

public:
    static constexpr int kMaxLines = 5000;
    static constexpr int kInsertIntervalMs = 50;

    enum Roles {
        RawTextRole = Qt::UserRole + 1, // with escape sequences
        FormatsRole,                    // QList<QTextLayout::FormatRange> over the display text
        ForcedBreakRole,                // the line was cut because it was too long
    };

    explicit LogModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(LogModel)

    void setLines(const QList<LogLine> &lines);
    void appendLines(const QList<LogLine> &lines);
    void clear() { setLines({}); }

    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    int pendingCount() const { return int(m_waiting.size()); }
    void setDarkBackground(bool dark);
    // Leaves out the host's access-log lines of BooControl's own requests (its polling would
    // otherwise fill the proxy log). Applies to lines from now on: the view reloads the log.
    void setHideOwnRequests(bool hide) { m_hideOwnRequests = hide; }
    bool hidesOwnRequests() const { return m_hideOwnRequests; }
    // Lines left out so far (since the last setLines).
    qint64 hiddenCount() const { return m_hidden; }
    static bool isOwnRequest(const LogLine &line);
    // Inserts what is waiting now (tests; also called by resume).
    void flush();

    // The plain text of the given rows (all rows when empty), one line each.
    QString plainText(const QList<int> &rows = {}) const;
    // The next row after (or before) `from` whose text contains `needle`, wrapping; -1 if none.
    int find(const QString &needle, int from, bool forward = true) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void pendingCountChanged(int count);

private:
    void insert(QList<LogLine> lines);
    QList<LogLine> shown(const QList<LogLine> &lines);

    QList<LogLine> m_lines;
    QList<LogLine> m_waiting; // arrived while paused, or within the current batch interval
    QTimer m_insertTimer;
    bool m_paused = false;
    bool m_dark = false;
    bool m_hideOwnRequests = false;
    qint64 m_hidden = 0;
};

} // namespace boo

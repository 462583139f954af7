#include "models/logmodel.h"

#include "core/http/useragent.h"
#include "core/protocol/accesslogline.h"
#include "models/ansiformatter.h"

#include <QFont>
#include <QFontDatabase>

namespace boo {

LogModel::LogModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_insertTimer.setSingleShot(true);
    m_insertTimer.setInterval(kInsertIntervalMs);
    connect(&m_insertTimer, &QTimer::timeout, this, &LogModel::flush);
}

bool LogModel::isOwnRequest(const LogLine &line)
{
    // Cheap test first: almost every line of a busy log is not an access line.
    if (!line.plain.contains(u"Request "))
        return false;
    const auto access = AccessLogLine::parse(line.plain);
    return access && isBooUserAgent(access->userAgent.toUtf8());
}

QList<LogLine> LogModel::shown(const QList<LogLine> &lines)
{
    if (!m_hideOwnRequests)
        return lines;
    QList<LogLine> kept;
    kept.reserve(lines.size());
    for (const LogLine &line : lines) {
        if (isOwnRequest(line))
            ++m_hidden;
        else
            kept << line;
    }
    return kept;
}

void LogModel::setLines(const QList<LogLine> &all)
{
    m_hidden = 0;
    const QList<LogLine> lines = shown(all);
    beginResetModel();
    m_lines = lines.size() > kMaxLines ? lines.mid(lines.size() - kMaxLines) : lines;
    m_waiting.clear();
    endResetModel();
    Q_EMIT pendingCountChanged(0);
}

void LogModel::appendLines(const QList<LogLine> &all)
{
    const QList<LogLine> lines = shown(all);
    if (lines.isEmpty())
        return;
    m_waiting.append(lines);
    // While paused nothing moves; more than a screenful of backlog is pointless to keep.
    if (m_waiting.size() > kMaxLines)
        m_waiting.remove(0, m_waiting.size() - kMaxLines);
    if (m_paused) {
        Q_EMIT pendingCountChanged(int(m_waiting.size()));
        return;
    }
    if (!m_insertTimer.isActive())
        m_insertTimer.start();
}

void LogModel::setPaused(bool paused)
{
    if (paused == m_paused)
        return;
    m_paused = paused;
    if (!paused)
        flush();
}

void LogModel::setDarkBackground(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    if (!m_lines.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_lines.size()) - 1), {FormatsRole, Qt::ForegroundRole});
}

void LogModel::flush()
{
    m_insertTimer.stop();
    if (m_waiting.isEmpty())
        return;
    insert(std::exchange(m_waiting, {}));
    Q_EMIT pendingCountChanged(0);
}

void LogModel::insert(QList<LogLine> lines)
{
    const int overflow = int(m_lines.size() + lines.size()) - kMaxLines;
    if (overflow > 0) {
        const int fromOld = std::min(overflow, int(m_lines.size()));
        if (fromOld > 0) {
            beginRemoveRows({}, 0, fromOld - 1);
            m_lines.remove(0, fromOld);
            endRemoveRows();
        }
        if (lines.size() > kMaxLines)
            lines.remove(0, lines.size() - kMaxLines);
    }
    const int first = int(m_lines.size());
    beginInsertRows({}, first, first + int(lines.size()) - 1);
    m_lines.append(lines);
    endInsertRows();
}

QString LogModel::plainText(const QList<int> &rows) const
{
    QStringList out;
    if (rows.isEmpty()) {
        for (const LogLine &line : m_lines)
            out << line.plain;
    } else {
        for (int row : rows) {
            if (row >= 0 && row < m_lines.size())
                out << m_lines.at(row).plain;
        }
    }
    return out.join(u'\n');
}

int LogModel::find(const QString &needle, int from, bool forward) const
{
    const int n = int(m_lines.size());
    if (needle.isEmpty() || n == 0)
        return -1;
    for (int step = 1; step <= n; ++step) {
        const int row = ((forward ? from + step : from - step) % n + n) % n;
        if (m_lines.at(row).plain.contains(needle, Qt::CaseInsensitive))
            return row;
    }
    return -1;
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_lines.size());
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogLine &line = m_lines.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole: return line.plain;
    case RawTextRole: return line.text;
    case FormatsRole: return QVariant::fromValue(AnsiFormatter::format(line.text, m_dark).formats);
    case ForcedBreakRole: return line.forcedBreak;
    case Qt::FontRole: return QFontDatabase::systemFont(QFontDatabase::FixedFont);
    }
    return {};
}

} // namespace boo

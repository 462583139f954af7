#include "core/store/spillfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace boo {

SpillFile::SpillFile(QString path)
    : m_path(std::move(path))
{
    scanExisting();
}

void SpillFile::scanExisting()
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadWrite))
        return;
    if (file.size() > 0) {
        // A crash can leave a torn last line; terminate it so later appends start clean.
        file.seek(file.size() - 1);
        if (file.read(1) != "\n") {
            file.seek(file.size());
            file.write("\n");
        }
    }
    file.seek(0);
    while (!file.atEnd()) {
        if (!file.readLine().trimmed().isEmpty())
            ++m_pendingRows;
    }
    if (file.size() == 0) {
        file.close();
        file.remove();
    }
}

Result<void> SpillFile::append(std::span<const HistoryRow> rows)
{
    if (rows.empty())
        return {};
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QFile file(m_path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        return makeError(u"spill.io"_s, u"cannot open spill file %1: %2"_s.arg(m_path, file.errorString()));
    QByteArray buffer;
    for (const HistoryRow &row : rows) {
        buffer += QJsonDocument(historyRowToJson(row)).toJson(QJsonDocument::Compact);
        buffer += '\n';
    }
    if (file.write(buffer) != buffer.size() || !file.flush())
        return makeError(u"spill.io"_s, u"cannot write spill file %1: %2"_s.arg(m_path, file.errorString()));
    m_pendingRows += qint64(rows.size());
    return {};
}

Result<QList<HistoryRow>> SpillFile::peek(int maxRows)
{
    QList<HistoryRow> rows;
    m_peekedRows = 0;
    m_peekEndOffset = m_readOffset;
    QFile file(m_path);
    if (!file.exists())
        return rows;
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"spill.io"_s, u"cannot read spill file %1: %2"_s.arg(m_path, file.errorString()));
    if (!file.seek(m_readOffset))
        return makeError(u"spill.io"_s, u"cannot seek in spill file %1"_s.arg(m_path));
    while (rows.size() < maxRows && !file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty())
            continue;
        ++m_peekedRows;
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        auto row
            = doc.isObject() ? historyRowFromJson(doc.object()) : Result<HistoryRow>(makeError(u"spill.row"_s, parseError.errorString()));
        if (row)
            rows << std::move(row).value();
        else
            ++m_corruptLines;
    }
    m_peekEndOffset = file.pos();
    return rows;
}

Result<void> SpillFile::consumePeeked()
{
    m_readOffset = m_peekEndOffset;
    m_pendingRows = std::max<qint64>(0, m_pendingRows - m_peekedRows);
    m_peekedRows = 0;
    QFile file(m_path);
    if (file.exists() && m_readOffset >= file.size()) {
        if (!file.remove())
            return makeError(u"spill.io"_s, u"cannot remove drained spill file %1: %2"_s.arg(m_path, file.errorString()));
        m_readOffset = m_peekEndOffset = 0;
        m_pendingRows = 0;
    }
    return {};
}

} // namespace boo

#include "core/fleet/logtail.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace boo;

namespace {

QList<LogLine> numbered(int from, int count, const QString &prefix = u"line "_s)
{
    QList<LogLine> lines;
    for (int i = from; i < from + count; ++i) {
        const QString text = prefix + QString::number(i);
        lines << LogLine{text, text, false};
    }
    return lines;
}

QStringList texts(const QList<LogLine> &lines)
{
    QStringList out;
    for (const LogLine &line : lines)
        out << line.text;
    return out;
}

} // namespace

// LogTail keeps its lines in compressed blocks: what it returns must be exactly the last
// `capacity` lines, whatever the batch sizes and wherever the block boundaries fall.
class TestLogTail : public QObject
{
    Q_OBJECT

private slots:
    void keepsExactlyTheLastLinesAcrossBlocks_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("total");
        QTest::newRow("default, batches of 100") << LogTail::kDefaultCapacity << 100 << 2500;
        QTest::newRow("default, one line at a time") << LogTail::kDefaultCapacity << 1 << 4321;
        QTest::newRow("default, one huge batch") << LogTail::kDefaultCapacity << 5000 << 5000;
        QTest::newRow("below one block") << 10 << 7 << 95;
        QTest::newRow("between blocks") << LogTail::kBlockLines + 5 << 33 << 1000;
        QTest::newRow("not yet full") << LogTail::kDefaultCapacity << 50 << 300;
    }
    void keepsExactlyTheLastLinesAcrossBlocks()
    {
        QFETCH(int, capacity);
        QFETCH(int, batch);
        QFETCH(int, total);
        LogTail tail(capacity);
        for (int from = 0; from < total; from += batch)
            tail.append(numbered(from, std::min(batch, total - from)));
        const int kept = std::min(capacity, total);
        QCOMPARE(tail.size(), kept);
        QCOMPARE(texts(tail.lines()), texts(numbered(total - kept, kept)));
    }

    void keepsAnyTextIntact()
    {
        LogTail tail(5);
        const QList<LogLine> lines{
            LogLine{u"\x1b[32mgrün ✓\x1b[0m"_s, u"grün ✓"_s, false}, LogLine{QString(), QString(), false},
            LogLine{u"a line\nwith a newline and a \r inside"_s, QString(), false},
            LogLine{QString(300, u'x'), QString(), false}, // a length that takes two prefix bytes
        };
        tail.append(lines);
        const QList<LogLine> back = tail.lines();
        QCOMPARE(back.size(), lines.size());
        for (qsizetype i = 0; i < lines.size(); ++i)
            QCOMPARE(back.at(i).text, lines.at(i).text);
        QCOMPARE(back.at(0).plain, u"grün ✓"_s); // made again when read
    }

    void clearEmptiesIt()
    {
        LogTail tail;
        tail.append(numbered(0, 1000));
        tail.clear();
        QCOMPARE(tail.size(), 0);
        QVERIFY(tail.lines().isEmpty());
        tail.append(numbered(7, 3));
        QCOMPARE(texts(tail.lines()), texts(numbered(7, 3)));
    }

    // Log lines repeat a lot: the full tail must hold far fewer bytes than its text.
    void fullTailIsCompact()
    {
        LogTail tail;
        tail.append(numbered(0, LogTail::kDefaultCapacity, u"[INFO] Request 127.0.0.1 \"POST /v1/chat/completions HTTP/1.1\" 200 #"_s));
        qsizetype textBytes = 0;
        for (const LogLine &line : tail.lines())
            textBytes += line.text.toUtf8().size();
        QVERIFY2(tail.heldBytes() * 3 < textBytes, qPrintable(u"%1 held for %2 bytes of text"_s.arg(tail.heldBytes()).arg(textBytes)));
    }
};

QTEST_GUILESS_MAIN(TestLogTail)
#include "tst_logtail.moc"

// The diff preview, compared with GNU diff -u on the same files (headers aside).

#include "core/remote/configdiff.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using boo::ConfigDiff;

namespace {

QByteArray lines(int from, int to)
{
    QByteArray text;
    for (int i = from; i <= to; ++i)
        text += "line " + QByteArray::number(i) + '\n';
    return text;
}

// diff -u's hunks (without its --- / +++ lines, which carry file names and times).
QString gnuDiff(const QByteArray &before, const QByteArray &after)
{
    QTemporaryDir dir;
    QFile a(dir.filePath(u"a"_s));
    QFile b(dir.filePath(u"b"_s));
    if (!a.open(QIODevice::WriteOnly) || !b.open(QIODevice::WriteOnly))
        return u"<cannot write>"_s;
    a.write(before);
    b.write(after);
    a.close();
    b.close();
    QProcess diff;
    diff.start(u"diff"_s, {u"-u"_s, a.fileName(), b.fileName()});
    if (!diff.waitForFinished(10000))
        return u"<diff did not run>"_s;
    const QString out = QString::fromUtf8(diff.readAllStandardOutput());
    return out.section(u'\n', 2);
}

} // namespace

class TestConfigDiff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void equalTextsHaveNoDiff()
    {
        QCOMPARE(ConfigDiff::unified("a: 1\n", "a: 1\n", u"config.yaml"_s), QString());
        QCOMPARE(ConfigDiff::unified({}, {}, u"config.yaml"_s), QString());
    }

    void header()
    {
        const QString diff = ConfigDiff::unified("a: 1\n", "a: 2\n", u"etc/llama-swap/config.yaml"_s);
        QVERIFY(diff.startsWith(u"--- a/etc/llama-swap/config.yaml\n+++ b/etc/llama-swap/config.yaml\n@@ -1 +1 @@\n-a: 1\n+a: 2\n"_s));
    }

    void sameHunksAsGnuDiff_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        const QByteArray twenty = lines(1, 20);
        QTest::newRow("one line changed") << twenty << QByteArray(twenty).replace("line 10\n", "line ten\n");
        QTest::newRow("appended") << twenty << twenty + "line 21\nline 22\n";
        QTest::newRow("prepended") << twenty << "line 0\n" + twenty;
        QTest::newRow("removed in the middle") << twenty << lines(1, 8) + lines(12, 20);
        QTest::newRow("two changes, one hunk") << twenty << QByteArray(twenty).replace("line 5\n", "five\n").replace("line 10\n", "ten\n");
        QTest::newRow("two changes, two hunks")
            << twenty << QByteArray(twenty).replace("line 2\n", "two\n").replace("line 18\n", "eighteen\n");
        QTest::newRow("from empty") << QByteArray() << lines(1, 3);
        QTest::newRow("to empty") << lines(1, 3) << QByteArray();
        QTest::newRow("no newline at end, changed") << QByteArray("a\nb") << QByteArray("a\nc");
        QTest::newRow("newline added at end") << QByteArray("a\nb") << QByteArray("a\nb\n");
        QTest::newRow("yaml edit") << QByteArray("models:\n  a:\n    cmd: x\n    ttl: 60\n  b:\n    cmd: y\n")
                                   << QByteArray("models:\n  a:\n    cmd: x\n    ttl: 300\n  b:\n    cmd: y\n    unlisted: true\n");
    }

    void sameHunksAsGnuDiff()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        const QString ours = ConfigDiff::unified(before, after, u"c.yaml"_s).section(u'\n', 2);
        QCOMPARE(ours, gnuDiff(before, after));
    }

    void tooLargeToCompareIsShownReplacedWhole()
    {
        const QByteArray before = "head\n" + lines(1, 1500) + "tail\n";
        const QByteArray after = "head\n" + lines(2001, 3500) + "tail\n";
        const QString diff = ConfigDiff::unified(before, after, u"big.yaml"_s);
        QVERIFY(diff.contains(u"@@ -1,1502 +1,1502 @@\n head\n-line 1\n"_s));
        QCOMPARE(diff.count(u"\n-line "_s), 1500);
        QCOMPARE(diff.count(u"\n+line "_s), 1500);
    }

    // Whatever the alignment, the kept and removed lines are the old file, the kept and added
    // lines the new one (checked with the whole file as context).
    void linesAddUpToBothFiles()
    {
        const QByteArray before = "a\nb\nc\nb\na\nd\n";
        const QByteArray after = "b\na\nc\nd\nb\ne\n";
        const QString diff = ConfigDiff::unified(before, after, u"x"_s, 100);
        QByteArray oldText;
        QByteArray newText;
        for (const QString &line : diff.section(u'\n', 3).split(u'\n', Qt::SkipEmptyParts)) {
            const QByteArray text = line.mid(1).toUtf8() + '\n';
            if (line.startsWith(u' ') || line.startsWith(u'-'))
                oldText += text;
            if (line.startsWith(u' ') || line.startsWith(u'+'))
                newText += text;
        }
        QCOMPARE(oldText, before);
        QCOMPARE(newText, after);
    }
};

QTEST_GUILESS_MAIN(TestConfigDiff)
#include "tst_configdiff.moc"

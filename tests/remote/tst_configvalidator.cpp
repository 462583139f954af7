// The validator against the corpus in tests/data/configs: every file says, in `# expect:`
// comments on the lines concerned, exactly which findings it must produce.

#include "core/remote/configvalidator.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using boo::ConfigFinding;
using boo::ConfigReport;
using boo::ConfigValidator;
using boo::FindingSeverity;

namespace {

QString corpusDir()
{
    return QStringLiteral(BOO_TEST_DATA_DIR) + u"/configs"_s;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

// "error schema@12" for every `# expect: error schema` on line 12.
QStringList expectedFindings(const QByteArray &text)
{
    static const QRegularExpression expect(u"#\\s*expect:\\s*(.+)$"_s);
    QStringList expected;
    const QList<QByteArray> lines = text.split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QRegularExpressionMatch match = expect.match(QString::fromUtf8(lines[i]));
        if (!match.hasMatch())
            continue;
        for (const QString &item : match.captured(1).split(u',', Qt::SkipEmptyParts))
            expected << u"%1@%2"_s.arg(item.simplified()).arg(i + 1);
    }
    expected.sort();
    return expected;
}

QStringList actualFindings(const ConfigReport &report)
{
    QStringList actual;
    for (const ConfigFinding &finding : report.findings)
        actual << u"%1 %2@%3"_s.arg(finding.severity == FindingSeverity::Error ? u"error"_s : u"warning"_s, finding.rule)
                      .arg(finding.mark.line);
    actual.sort();
    return actual;
}

QString describe(const ConfigReport &report)
{
    QStringList lines;
    for (const ConfigFinding &finding : report.findings)
        lines << finding.toText(report.fileName);
    return lines.join(u'\n');
}

QStringList corpusFiles()
{
    QStringList files;
    QDirIterator it(corpusDir(), {u"*.yaml"_s}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    return files;
}

ConfigFinding onlyFinding(const QByteArray &text, const QString &rule)
{
    const ConfigReport report = ConfigValidator::validate(text, u"inline.yaml"_s);
    QList<ConfigFinding> matching;
    for (const ConfigFinding &finding : report.findings) {
        if (finding.rule == rule)
            matching << finding;
    }
    if (matching.size() != 1)
        qWarning().noquote() << describe(report);
    return matching.size() == 1 ? matching.constFirst() : ConfigFinding{};
}

} // namespace

class TestConfigValidator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void corpus_data()
    {
        QTest::addColumn<QString>("path");
        const QStringList files = corpusFiles();
        QVERIFY2(files.size() >= 25, qPrintable(u"the corpus is incomplete: %1 files"_s.arg(files.size())));
        for (const QString &file : files)
            QTest::newRow(qPrintable(QDir(corpusDir()).relativeFilePath(file))) << file;
    }

    void corpus()
    {
        QFETCH(QString, path);
        const QByteArray text = readFile(path);
        auto report = ConfigValidator::validateFile(path);
        QVERIFY(report.ok());
        const QStringList expected = expectedFindings(text);
        const QStringList actual = actualFindings(*report);
        if (actual != expected)
            qWarning().noquote() << "findings:\n" << describe(*report);
        QCOMPARE(actual, expected);
        const bool inValidDir = path.contains(u"/valid/"_s);
        QCOMPARE(report->valid(), inValidDir);
        for (const ConfigFinding &finding : report->findings) {
            QVERIFY2(finding.mark.line > 0 && finding.mark.column > 0, qPrintable(finding.toText(path)));
            QVERIFY2(!finding.message.isEmpty(), qPrintable(finding.rule));
        }
    }

    // Each rule is broken somewhere in the corpus (and valid/ shows its passing side).
    void everyRuleIsBrokenInTheCorpus()
    {
        QSet<QString> seen;
        for (const QString &file : corpusFiles()) {
            for (const QString &expected : expectedFindings(readFile(file)))
                seen.insert(expected.section(u' ', 1).section(u'@', 0, 0));
        }
        seen.insert(u"env-unset"_s); // needs a host environment: hostEnvironment() below
        QStringList missing;
        for (const QString &rule : ConfigValidator::ruleIds()) {
            if (!seen.contains(rule))
                missing << rule;
        }
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(u", "_s)));
        const QStringList ids = ConfigValidator::ruleIds();
        QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), ids.size());
    }

    void findingNamesPathLineAndColumn()
    {
        const ConfigFinding finding = onlyFinding("models:\n  a:\n    cmd: llama-server --port ${PORT} ${nope}\n", u"macro-unresolved"_s);
        QCOMPARE(finding.path, u"models.a.cmd"_s);
        QCOMPARE(finding.mark.line, 3);
        QCOMPARE(finding.mark.column, 10);
        QVERIFY2(finding.message.contains(u"${nope}"_s), qPrintable(finding.message));
        QCOMPARE(finding.toText(u"f.yaml"_s), u"f.yaml:3:10: error: models.a.cmd: "_s + finding.message + u" [macro-unresolved]"_s);
    }

    void schemaFindingNamesTheExpectedType()
    {
        const ConfigFinding finding = onlyFinding("models:\n  a:\n    cmd: x --port ${PORT}\n    ttl: soon\n", u"schema"_s);
        QCOMPARE(finding.path, u"models.a.ttl"_s);
        QCOMPARE(finding.mark.line, 4);
        QCOMPARE(finding.mark.column, 10);
        QCOMPARE(finding.message, u"expected integer, found a string"_s);

        const ConfigFinding missing = onlyFinding("models:\n  a:\n    proxy: http://127.0.0.1:9000\n", u"schema"_s);
        QCOMPARE(missing.path, u"models.a"_s);
        QCOMPARE(missing.mark.line, 2); // the key of the mapping, not its first entry
        QCOMPARE(missing.message, u"the required key 'cmd' is missing"_s);
        QCOMPARE(onlyFinding("startPort: 0\n", u"schema"_s).message, u"must be 1 or more, found 0"_s);
    }

    void unknownKeySuggestsTheKnownOne()
    {
        const ConfigFinding finding = onlyFinding("models:\n  a:\n    cmd: x --port ${PORT}\n    check_endpoint: none\n", u"unknown-key"_s);
        QCOMPARE(finding.severity, FindingSeverity::Warning);
        QCOMPARE(finding.path, u"models.a.check_endpoint"_s);
        QCOMPARE(finding.mark.line, 4);
        QCOMPARE(finding.mark.column, 5);
        QVERIFY2(finding.message.contains(u"did you mean 'checkEndpoint'?"_s), qPrintable(finding.message));
    }

    void macroTakesTheTypeOfItsValue()
    {
        // `ttl: ${ttl}` is a number once expanded, as in llama-swap; a quoted "60" is not.
        const QByteArray typed = "macros:\n  ttl: 60\nmodels:\n  a:\n    cmd: x --port ${PORT}\n    ttl: ${ttl}\n";
        QVERIFY2(ConfigValidator::validate(typed, u"t.yaml"_s).findings.isEmpty(),
                 qPrintable(describe(ConfigValidator::validate(typed, u"t.yaml"_s))));
        const QByteArray quoted = "macros:\n  ttl: \"60\"\nmodels:\n  a:\n    cmd: x --port ${PORT}\n    ttl: ${ttl}\n";
        QCOMPARE(onlyFinding(quoted, u"schema"_s).path, u"models.a.ttl"_s);
    }

    void jsonShape()
    {
        const ConfigReport report = ConfigValidator::validateFile(corpusDir() + u"/valid/warnings.yaml"_s).value();
        const QJsonObject json = report.toJson();
        QCOMPARE(json.keys(), (QStringList{u"errors"_s, u"valid"_s, u"warnings"_s}));
        QCOMPARE(json.value(u"valid"_s).toBool(), true);
        QCOMPARE(json.value(u"errors"_s).toArray().size(), 0);
        const QJsonArray warnings = json.value(u"warnings"_s).toArray();
        QCOMPARE(warnings.size(), 8);
        const QJsonObject first = warnings.first().toObject();
        QCOMPARE(first.keys(), (QStringList{u"column"_s, u"line"_s, u"message"_s, u"path"_s, u"rule"_s}));
        QCOMPARE(first.value(u"path"_s).toString(), u"healthCheckTimeout"_s);
        QCOMPARE(first.value(u"line"_s).toInt(), 2);
        QCOMPARE(first.value(u"column"_s).toInt(), 21);
        QCOMPARE(first.value(u"rule"_s).toString(), u"health-check-timeout-raised"_s);
    }

    void hostEnvironment()
    {
        const QByteArray text = "models:\n  a:\n    cmd: x --port ${PORT} -m ${env.MODELS}/a.gguf\n    ttl: ${env.TTL}\n";
        QCOMPARE(ConfigValidator::environmentReferences(text), (QStringList{u"MODELS"_s, u"TTL"_s}));

        // Offline the values are unknown and not judged (ttl would have to be a number).
        QVERIFY(ConfigValidator::validate(text, u"e.yaml"_s).findings.isEmpty());

        boo::ConfigValidationOptions options;
        options.hostEnvironment = QHash<QString, QString>{{u"MODELS"_s, u"/srv/models"_s}};
        const ConfigReport unset = ConfigValidator::validate(text, u"e.yaml"_s, options);
        QCOMPARE(actualFindings(unset), QStringList{u"error env-unset@4"_s});
        QCOMPARE(unset.findings.constFirst().path, u"models.a.ttl"_s);

        options.hostEnvironment->insert(u"TTL"_s, u"300"_s);
        const ConfigReport set = ConfigValidator::validate(text, u"e.yaml"_s, options);
        QVERIFY2(set.findings.isEmpty(), qPrintable(describe(set)));

        options.hostEnvironment->insert(u"TTL"_s, u"3\n00"_s);
        QCOMPARE(actualFindings(ConfigValidator::validate(text, u"e.yaml"_s, options)), QStringList{u"error env-unset@4"_s});
    }

    void emptyFileIsAnEmptyConfig()
    {
        QVERIFY(ConfigValidator::validate("", u"empty.yaml"_s).findings.isEmpty());
        QVERIFY(ConfigValidator::validate("# only a comment\n", u"empty.yaml"_s).findings.isEmpty());
        QCOMPARE(actualFindings(ConfigValidator::validate("- a list\n", u"list.yaml"_s)), QStringList{u"error schema@1"_s});
    }

    void unreadableFile()
    {
        const auto report = ConfigValidator::validateFile(corpusDir() + u"/does-not-exist.yaml"_s);
        QVERIFY(!report.ok());
        QCOMPARE(report.error().code, u"config.unreadable"_s);
    }
};

QTEST_GUILESS_MAIN(TestConfigValidator)
#include "tst_configvalidator.moc"

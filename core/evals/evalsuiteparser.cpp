#include "core/evals/evalsuiteparser.h"

#include "core/bench/suiteyamlreader.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// A judge is `provider/model` or a virtual model (no spaces, `*` or `?`), as in bench suites.
const QRegularExpression &modelPattern()
{
    static const QRegularExpression pattern(u"^(([A-Za-z0-9][A-Za-z0-9._-]{0,63})/(\\S{1,200})|[^/*?\\s]{1,64})$"_s);
    return pattern;
}

class SuiteReader : public SuiteYamlReader
{
public:
    explicit SuiteReader(QString fileName)
        : SuiteYamlReader(u"evals.suite"_s, std::move(fileName))
    {
    }

    // Text kept as written except for surrounding blank lines: code blocks keep their indentation.
    QString text(const YAML::Node &node, const QString &path) const
    {
        const QString value = scalar(node, path);
        if (value.trimmed().isEmpty())
            fail(node, path, u"is empty"_s);
        return value;
    }

    EvalSuite read(const YAML::Node &root) const;

private:
    EvalTask task(const YAML::Node &node, const QString &path, EvalKind kind) const;
};

EvalTask SuiteReader::task(const YAML::Node &node, const QString &path, EvalKind kind) const
{
    static const QStringList known{u"id"_s, u"prompt"_s, u"reference"_s, u"tests"_s, u"timeout_s"_s};
    const auto keys = mapping(node, path, known);
    const auto get = [&](const QString &key) -> const YAML::Node * {
        const auto it = keys.find(key);
        return it == keys.end() ? nullptr : &it->second;
    };
    EvalTask task;
    const YAML::Node *id = get(u"id"_s);
    if (!id)
        fail(node, path + u".id"_s, u"is required"_s);
    task.id = text(*id, path + u".id"_s).trimmed();
    if (!namePattern().match(task.id).hasMatch())
        fail(*id, path + u".id"_s, u"\"%1\" %2"_s.arg(task.id.left(80), nameRule()));
    const YAML::Node *prompt = get(u"prompt"_s);
    if (!prompt)
        fail(node, path + u".prompt"_s, u"is required"_s);
    task.prompt = text(*prompt, path + u".prompt"_s);
    if (const YAML::Node *reference = get(u"reference"_s))
        task.reference = text(*reference, path + u".reference"_s);
    if (const YAML::Node *tests = get(u"tests"_s)) {
        if (kind != EvalKind::Code)
            fail(*tests, path + u".tests"_s, u"only code suites have tests (a chat suite is scored by its judge)"_s);
        task.tests = text(*tests, path + u".tests"_s);
    } else if (kind == EvalKind::Code) {
        fail(node, path + u".tests"_s, u"is required in a code suite"_s);
    }
    if (const YAML::Node *timeout = get(u"timeout_s"_s))
        task.timeoutS = int(integer(*timeout, path + u".timeout_s"_s, 1, EvalSuiteParser::kMaxTimeoutS));
    return task;
}

EvalSuite SuiteReader::read(const YAML::Node &root) const
{
    static const QStringList known{u"name"_s,     u"version"_s, u"description"_s, u"kind"_s,
                                   u"language"_s, u"judge"_s,   u"rubric"_s,      u"tasks"_s};
    const auto keys = mapping(root, QString(), known);
    const auto get = [&](const QString &key) -> const YAML::Node * {
        const auto it = keys.find(key);
        return it == keys.end() ? nullptr : &it->second;
    };
    const auto require = [&](const QString &key) -> const YAML::Node & {
        const YAML::Node *node = get(key);
        if (!node)
            fail(root, key, u"is required"_s);
        return *node;
    };

    EvalSuite suite;
    suite.sourceFile = fileName();
    suite.sourceLine = root.Mark().line + 1;
    const YAML::Node &name = require(u"name"_s);
    suite.name = text(name, u"name"_s).trimmed();
    if (!namePattern().match(suite.name).hasMatch())
        fail(name, u"name"_s, u"\"%1\" %2"_s.arg(suite.name.left(80), nameRule()));
    if (const YAML::Node *version = get(u"version"_s))
        suite.version = int(integer(*version, u"version"_s, 1, 1000000));
    if (const YAML::Node *description = get(u"description"_s))
        suite.description = text(*description, u"description"_s).trimmed();

    const YAML::Node &kind = require(u"kind"_s);
    const auto parsedKind = enumFromName(kEvalKindNames, plain(kind, u"kind"_s, u"code or chat"_s));
    if (!parsedKind)
        fail(kind, u"kind"_s, u"is %1, expected code or chat"_s.arg(describe(kind)));
    suite.kind = *parsedKind;

    if (suite.kind == EvalKind::Code) {
        const YAML::Node &language = require(u"language"_s);
        suite.language = plain(language, u"language"_s, u"python"_s);
        if (suite.language != u"python")
            fail(language, u"language"_s, u"is %1; the sandbox runs python only"_s.arg(describe(language)));
        if (const YAML::Node *judge = get(u"judge"_s))
            fail(*judge, u"judge"_s, u"only chat suites have a judge (code is scored by its tests)"_s);
        if (const YAML::Node *rubric = get(u"rubric"_s))
            fail(*rubric, u"rubric"_s, u"only chat suites have a rubric"_s);
    } else {
        if (const YAML::Node *language = get(u"language"_s))
            fail(*language, u"language"_s, u"only code suites have a language"_s);
        const YAML::Node &judge = require(u"judge"_s);
        const auto judgeKeys = mapping(judge, u"judge"_s, {u"model"_s, u"temperature"_s});
        const auto model = judgeKeys.find(u"model"_s);
        if (model == judgeKeys.end())
            fail(judge, u"judge.model"_s, u"is required (provider/model or a virtual model)"_s);
        suite.judge.model = text(model->second, u"judge.model"_s).trimmed();
        if (!modelPattern().match(suite.judge.model).hasMatch())
            fail(model->second, u"judge.model"_s,
                 u"\"%1\" is neither provider/model nor a virtual model name"_s.arg(suite.judge.model.left(80)));
        if (const auto temperature = judgeKeys.find(u"temperature"_s); temperature != judgeKeys.end())
            suite.judge.temperature = number(temperature->second, u"judge.temperature"_s, 0, 2);
        suite.rubric = text(require(u"rubric"_s), u"rubric"_s).trimmed();
    }

    const YAML::Node &tasks = require(u"tasks"_s);
    if (!tasks.IsSequence())
        fail(tasks, u"tasks"_s, u"is %1, expected a list"_s.arg(describe(tasks)));
    if (tasks.size() == 0)
        fail(tasks, u"tasks"_s, u"is an empty list"_s);
    if (tasks.size() > std::size_t(EvalSuiteParser::kMaxTasks))
        fail(tasks, u"tasks"_s, u"has %1 tasks, more than %2"_s.arg(tasks.size()).arg(EvalSuiteParser::kMaxTasks));
    QSet<QString> ids;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const QString path = u"tasks[%1]"_s.arg(i);
        EvalTask task = this->task(tasks[i], path, suite.kind);
        if (ids.contains(task.id))
            fail(tasks[i]["id"], path + u".id"_s, u"\"%1\" is used by an earlier task"_s.arg(task.id));
        ids.insert(task.id);
        suite.tasks << std::move(task);
    }
    return suite;
}

} // namespace

Result<QList<EvalSuite>> EvalSuiteParser::parse(const QByteArray &yaml, const QString &fileName)
{
    SuiteReader reader(fileName);
    return reader.guarded([&]() -> Result<QList<EvalSuite>> {
        const std::vector<YAML::Node> documents = YAML::LoadAll(yaml.toStdString());
        QList<EvalSuite> suites;
        QSet<QString> names;
        for (std::size_t i = 0; i < documents.size(); ++i) {
            const YAML::Node &root = documents[i];
            if (!root.IsDefined() || root.IsNull())
                continue; // a leading or trailing `---`
            reader.setDocument(documents.size() > 1 ? u"suite %1: "_s.arg(i + 1) : QString());
            EvalSuite suite = reader.read(root);
            if (names.contains(suite.name))
                reader.fail(root["name"], u"name"_s, u"\"%1\" is already a suite of this file"_s.arg(suite.name));
            names.insert(suite.name);
            suites << std::move(suite);
        }
        if (suites.isEmpty())
            return makeError(u"evals.suite"_s, u"%1: the file holds no suite"_s.arg(fileName));
        return suites;
    });
}

Result<QList<EvalSuite>> EvalSuiteParser::parseFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"evals.suite"_s, u"cannot read the suite file %1: %2"_s.arg(path, file.errorString()));
    if (file.size() > kMaxFileBytes)
        return makeError(u"evals.suite"_s, u"%1: %2 bytes is too large for a suite file"_s.arg(path).arg(file.size()));
    return parse(file.readAll(), QFileInfo(path).fileName());
}

} // namespace boo

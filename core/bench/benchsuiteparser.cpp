#include "core/bench/benchsuiteparser.h"

#include "core/bench/suiteyamlreader.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <functional>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Provider ids follow the registry's rule (providers.md); model ids are what hosts list, which
// may contain `/` (`provider/org/model` splits at the first one) but never spaces.
const QRegularExpression &targetPattern()
{
    static const QRegularExpression pattern(u"^([A-Za-z0-9][A-Za-z0-9._-]{0,63})/(\\S{1,200})$"_s);
    return pattern;
}

// Virtual models are route policy names (docs/gateway.md): no `/`, `*`, `?` or spaces.
const QRegularExpression &virtualPattern()
{
    static const QRegularExpression pattern(u"^[^/*?\\s]{1,64}$"_s);
    return pattern;
}

class SuiteReader : public SuiteYamlReader
{
public:
    explicit SuiteReader(QString fileName)
        : SuiteYamlReader(u"bench.suite"_s, std::move(fileName))
    {
    }

    QString text(const YAML::Node &node, const QString &path) const { return scalar(node, path).trimmed(); }

    // A list of one or more items without duplicates; a single scalar is a list of one.
    template <typename T>
    QList<T> list(const YAML::Node &node, const QString &path, const std::function<T(const YAML::Node &, const QString &)> &item) const
    {
        QList<T> values;
        if (node.IsScalar()) {
            values << item(node, path);
            return values;
        }
        if (!node.IsSequence())
            fail(node, path, u"is %1, expected a list"_s.arg(describe(node)));
        if (node.size() == 0)
            fail(node, path, u"is an empty list"_s);
        for (std::size_t i = 0; i < node.size(); ++i) {
            const QString itemPath = u"%1[%2]"_s.arg(path).arg(i);
            T value = item(node[i], itemPath);
            if (values.contains(value))
                fail(node[i], itemPath, u"is listed twice"_s);
            values << value;
        }
        return values;
    }

    BenchTarget target(const YAML::Node &node, const QString &path) const
    {
        const QString value = text(node, path);
        if (const auto match = targetPattern().match(value); match.hasMatch())
            return BenchTarget{value, match.captured(1), match.captured(2)};
        if (virtualPattern().match(value).hasMatch())
            return BenchTarget{value, QString(), value};
        fail(node, path, u"\"%1\" is neither provider/model nor a virtual model name (no spaces, * or ?)"_s.arg(value));
    }

    BenchSuite read(const YAML::Node &root) const;
};

BenchSuite SuiteReader::read(const YAML::Node &root) const
{
    static const QStringList known{u"name"_s,          u"description"_s, u"targets"_s,     u"concurrency"_s,    u"rate"_s,
                                   u"prompt_tokens"_s, u"max_tokens"_s,  u"repetitions"_s, u"warmup"_s,         u"requests"_s,
                                   u"cold_start"_s,    u"slo"_s,         u"seed"_s,        u"rerun_polluted"_s, u"timeout_ms"_s};
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

    BenchSuite suite;
    suite.sourceFile = fileName();
    const YAML::Node &name = require(u"name"_s);
    suite.name = text(name, u"name"_s);
    if (!namePattern().match(suite.name).hasMatch())
        fail(name, u"name"_s, u"\"%1\" %2"_s.arg(suite.name, nameRule()));
    if (const YAML::Node *description = get(u"description"_s))
        suite.description = text(*description, u"description"_s);

    suite.targets
        = list<BenchTarget>(require(u"targets"_s), u"targets"_s, [this](const YAML::Node &n, const QString &p) { return target(n, p); });

    const YAML::Node *concurrency = get(u"concurrency"_s);
    const YAML::Node *rate = get(u"rate"_s);
    if (concurrency && rate)
        fail(*rate, u"rate"_s, u"a suite has either concurrency (closed loop) or rate (open loop), not both"_s);
    if (!concurrency && !rate)
        fail(root, u"concurrency"_s, u"is required (or rate: requests per second)"_s);
    if (concurrency) {
        suite.mode = BenchLoadMode::Concurrency;
        suite.concurrency = list<int>(*concurrency, u"concurrency"_s,
                                      [this](const YAML::Node &n, const QString &p) { return int(integer(n, p, 1, 1024)); });
    } else {
        suite.mode = BenchLoadMode::Rate;
        suite.rates = list<double>(*rate, u"rate"_s, [this](const YAML::Node &n, const QString &p) { return number(n, p, 0.01, 100000); });
    }
    if (const YAML::Node *prompt = get(u"prompt_tokens"_s))
        suite.promptTokens = list<int>(*prompt, u"prompt_tokens"_s,
                                       [this](const YAML::Node &n, const QString &p) { return int(integer(n, p, 1, 1000000)); });
    if (const YAML::Node *n = get(u"max_tokens"_s))
        suite.maxTokens = int(integer(*n, u"max_tokens"_s, 1, 131072));
    if (const YAML::Node *n = get(u"repetitions"_s))
        suite.repetitions = int(integer(*n, u"repetitions"_s, 1, 100));
    if (const YAML::Node *n = get(u"warmup"_s))
        suite.warmup = int(integer(*n, u"warmup"_s, 0, 10000));
    if (const YAML::Node *n = get(u"requests"_s))
        suite.requests = int(integer(*n, u"requests"_s, 1, 1000000));
    if (const YAML::Node *n = get(u"cold_start"_s))
        suite.coldStart = boolean(*n, u"cold_start"_s);
    if (const YAML::Node *n = get(u"seed"_s))
        suite.seed = quint32(integer(*n, u"seed"_s, 0, 4294967295LL));
    if (const YAML::Node *n = get(u"rerun_polluted"_s))
        suite.rerunPolluted = int(integer(*n, u"rerun_polluted"_s, 0, 5));
    if (const YAML::Node *n = get(u"timeout_ms"_s))
        suite.timeoutMs = int(integer(*n, u"timeout_ms"_s, 100, 3600000));
    if (const YAML::Node *slo = get(u"slo"_s)) {
        const auto sloKeys = mapping(*slo, u"slo"_s, {u"ttft_ms"_s, u"tpot_ms"_s, u"e2e_ms"_s});
        for (const auto &[key, node] : sloKeys) {
            const double limit = number(node, u"slo."_s + key, 0.001, 3600000);
            if (key == u"ttft_ms")
                suite.slo.ttftMs = limit;
            else if (key == u"tpot_ms")
                suite.slo.tpotMs = limit;
            else
                suite.slo.e2eMs = limit;
        }
        if (suite.slo.isEmpty())
            fail(*slo, u"slo"_s, u"names no objective (ttft_ms, tpot_ms or e2e_ms)"_s);
    }
    return suite;
}

} // namespace

Result<BenchSuite> BenchSuiteParser::parse(const QByteArray &yaml, const QString &fileName)
{
    const SuiteReader reader(fileName);
    return reader.guarded([&]() -> Result<BenchSuite> {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        if (!root.IsDefined() || root.IsNull())
            return makeError(u"bench.suite"_s, u"%1: the suite is empty"_s.arg(fileName));
        return reader.read(root);
    });
}

Result<BenchSuite> BenchSuiteParser::parseFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"bench.suite"_s, u"cannot read the suite %1: %2"_s.arg(path, file.errorString()));
    // A suite is a few hundred bytes; a huge file is a mistake, not a suite.
    if (file.size() > 1024 * 1024)
        return makeError(u"bench.suite"_s, u"%1: %2 bytes is too large for a suite file"_s.arg(path).arg(file.size()));
    return parse(file.readAll(), QFileInfo(path).fileName());
}

} // namespace boo

#include "core/remote/llamabenchplan.h"

#include "core/remote/macroexpansion.h"
#include "core/remote/sshrunner.h"
#include "core/remote/yamlconfigreader.h"

#include <QFileInfo>

#include <optional>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// A llama-server flag llama-bench also takes, under llama-bench's short name. Lists are
// comma-separated for the server; llama-bench reads a comma as "one test per value", so inside
// one value it wants '/' (tensor split, devices) or ';' (tensor overrides).
struct CarriedFlag
{
    QStringView serverNames; // '|'-separated
    QStringView benchName;
    QChar listSeparator = u',';
};

constexpr CarriedFlag kValueFlags[] = {
    {u"-ngl|--n-gpu-layers|--gpu-layers", u"-ngl"},
    {u"-b|--batch-size", u"-b"},
    {u"-ub|--ubatch-size", u"-ub"},
    {u"-ctk|--cache-type-k", u"-ctk"},
    {u"-ctv|--cache-type-v", u"-ctv"},
    {u"-t|--threads", u"-t"},
    {u"-sm|--split-mode", u"-sm"},
    {u"-mg|--main-gpu", u"-mg"},
    {u"-ts|--tensor-split", u"-ts", u'/'},
    {u"-ot|--override-tensor", u"-ot", u';'},
    {u"-ncmoe|--n-cpu-moe", u"-ncmoe"},
    {u"-dev|--device", u"-dev", u'/'},
};

const CarriedFlag *carried(const QString &flag)
{
    for (const CarriedFlag &f : kValueFlags) {
        for (QStringView name : f.serverNames.split(u'|')) {
            if (name == flag)
                return &f;
        }
    }
    return nullptr;
}

bool isFlag(const QString &word)
{
    // "-1" is a value (an -ngl of -1), not a flag.
    return word.startsWith(u'-') && word.size() > 1 && !word.at(1).isDigit();
}

} // namespace

QString LlamaBenchPlan::shellCommand() const
{
    QStringList words{program, u"-m"_s, modelPath};
    words << flags << u"-o"_s << u"jsonl"_s;
    for (QString &word : words)
        word = SshRunner::shellQuote(word);
    return words.join(u' ');
}

Result<QStringList> LlamaBenchPlan::splitWords(const QString &command)
{
    QStringList words;
    QString word;
    bool inWord = false;
    enum class Quote { None, Single, Double } quote = Quote::None;
    for (qsizetype i = 0; i < command.size(); ++i) {
        const QChar c = command.at(i);
        if (quote == Quote::Single) {
            if (c == u'\'')
                quote = Quote::None;
            else
                word += c;
            continue;
        }
        if (quote == Quote::Double) {
            if (c == u'"') {
                quote = Quote::None;
            } else if (c == u'\\' && i + 1 < command.size() && QStringView(u"\"\\$`\n").contains(command.at(i + 1))) {
                if (command.at(++i) != u'\n')
                    word += command.at(i);
            } else {
                word += c;
            }
            continue;
        }
        if (c == u'\\' && i + 1 < command.size()) {
            if (command.at(++i) != u'\n') {
                word += command.at(i);
                inWord = true;
            }
            continue;
        }
        if (c.isSpace()) {
            if (inWord)
                words << word;
            word.clear();
            inWord = false;
            continue;
        }
        inWord = true;
        if (c == u'\'')
            quote = Quote::Single;
        else if (c == u'"')
            quote = Quote::Double;
        else
            word += c;
    }
    if (quote != Quote::None)
        return makeError(u"llamabench.flags"_s, u"unclosed quote in: %1"_s.arg(command));
    if (inWord)
        words << word;
    return words;
}

Result<LlamaBenchPlan> LlamaBenchPlan::fromCommand(const QStringList &argv)
{
    LlamaBenchPlan plan;
    if (argv.isEmpty())
        return makeError(u"llamabench.config"_s, u"the model's cmd is empty"_s);
    // llama-bench is built beside llama-server: /opt/llama.cpp/build/bin/llama-server → …/llama-bench.
    const QFileInfo server(argv.constFirst());
    if (server.fileName().startsWith(u"llama-server"_s) && argv.constFirst().contains(u'/'))
        plan.program = server.path() + u"/llama-bench"_s;
    for (qsizetype i = 1; i < argv.size(); ++i) {
        QString flag = argv.at(i);
        std::optional<QString> inlineValue;
        if (flag.startsWith(u"--"_s) && flag.contains(u'=')) {
            inlineValue = flag.section(u'=', 1);
            flag = flag.section(u'=', 0, 0);
        }
        const auto takeValue = [&]() -> std::optional<QString> {
            if (inlineValue)
                return inlineValue;
            if (i + 1 < argv.size() && !isFlag(argv.at(i + 1)))
                return argv.at(++i);
            return std::nullopt;
        };
        if (flag == u"-m" || flag == u"--model") {
            if (auto value = takeValue())
                plan.modelPath = *value;
            continue;
        }
        if (const CarriedFlag *f = carried(flag)) {
            if (auto value = takeValue()) {
                plan.flags << f->benchName.toString() << QString(*value).replace(u',', f->listSeparator);
                continue;
            }
        } else if (flag == u"-fa" || flag == u"--flash-attn") {
            // llama-server takes on|off|auto; an older one took -fa alone, meaning on.
            const auto value = takeValue();
            plan.flags << u"-fa"_s << value.value_or(u"1"_s);
            continue;
        } else if (flag == u"-nkvo" || flag == u"--no-kv-offload") {
            plan.flags << u"-nkvo"_s << u"1"_s;
            continue;
        } else if (flag == u"--no-mmap") {
            plan.flags << u"-mmp"_s << u"0"_s;
            continue;
        }
        plan.dropped << argv.at(i);
    }
    if (plan.modelPath.isEmpty())
        return makeError(u"llamabench.no_model"_s, u"the model's cmd names no model file (-m/--model); give one with --model-path"_s);
    return plan;
}

Result<LlamaBenchPlan> LlamaBenchPlan::fromConfig(const QByteArray &configText, const QString &modelId)
{
    auto document = YamlConfigReader::read(configText);
    if (!document)
        return makeError(u"llamabench.config"_s, u"the host's config is not YAML: %1"_s.arg(document.error().message));
    FindingSink sink;
    const ConfigNode expanded = MacroExpansion::expand(document->root, sink);
    const ConfigNode *model = expanded.find({u"models"_s, modelId});
    if (!model || !model->isMap())
        return makeError(u"llamabench.config"_s, u"the host's config has no model \"%1\""_s.arg(modelId));
    const ConfigNode *cmd = model->child(u"cmd");
    if (!cmd || !cmd->isString() || cmd->scalar.trimmed().isEmpty())
        return makeError(u"llamabench.config"_s, u"model \"%1\" has no cmd"_s.arg(modelId));
    auto words = splitWords(cmd->scalar);
    if (!words)
        return makeError(u"llamabench.config"_s, u"model \"%1\": %2"_s.arg(modelId, words.error().message));
    return fromCommand(*words);
}

} // namespace boo

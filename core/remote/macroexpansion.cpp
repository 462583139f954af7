#include "core/remote/macroexpansion.h"

#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace boo {
namespace {

// The top-level keys llama-swap decodes; a `${…}` left in any other key is ignored with it.
const QStringList kDecodedTopLevelKeys = {
    u"healthCheckTimeout"_s,
    u"logRequests"_s,
    u"logLevel"_s,
    u"logTimeFormat"_s,
    u"logToStdout"_s,
    u"metricsMaxInMemory"_s,
    u"captureBuffer"_s,
    u"store"_s,
    u"ui"_s,
    u"performance"_s,
    u"globalTTL"_s,
    u"unloadTimeout"_s,
    u"profiles"_s,
    u"selectors"_s,
    u"routing"_s,
    u"groups"_s,
    u"matrix"_s,
    u"startPort"_s,
    u"hooks"_s,
    u"sendLoadingState"_s,
    u"includeAliasesInList"_s,
    u"apiKeys"_s,
    u"peers"_s,
    u"upstream"_s,
};
const QStringList kReservedNames = {u"PORT"_s, u"MODEL_ID"_s, u"PID"_s};
constexpr int kDefaultStartPort = 5800;
const QString kDefaultProxy = u"http://localhost:${PORT}"_s;

const QRegularExpression &macroPattern()
{
    static const QRegularExpression pattern(u"\\$\\{([a-zA-Z0-9_-]+)\\}"_s);
    return pattern;
}

QString slug(const QString &name)
{
    return u"${"_s + name + u'}';
}

struct Macro
{
    QString name;
    ConfigNode value; // for MODEL_ID a made-up string node
    bool declared = true;
    bool selfReferencing = false; // reported where it is declared, not again at every use

    // The value as it lands inside a longer string (Go's %v of the decoded scalar).
    QString text() const
    {
        if (value.kind == ConfigNode::Kind::Integer) {
            bool ok = false;
            const qint64 number = QString(value.scalar).replace(u"0o"_s, u"0"_s).toLongLong(&ok, 0);
            return ok ? QString::number(number) : value.scalar;
        }
        if (value.kind == ConfigNode::Kind::Bool)
            return value.scalar.toLower();
        return value.scalar;
    }
};
using MacroScope = std::vector<Macro>;

MacroScope declarations(const ConfigNode *macros, FindingSink &sink)
{
    MacroScope scope;
    if (!macros || !macros->isMap())
        return scope;
    for (const auto &[name, value] : macros->entries) {
        if (kReservedNames.contains(name)) {
            // Left out of the scope: substituting it would only add errors that follow from this one.
            sink.atKey(FindingSeverity::Error, u"macro-reserved-name"_s, value,
                       u"'%1' is reserved: llama-swap sets ${%1} itself and refuses a macro of that name"_s.arg(name));
            continue;
        }
        static const QRegularExpression validName(u"^[a-zA-Z0-9_-]{1,63}$"_s);
        if (!validName.match(name).hasMatch())
            sink.atKey(FindingSeverity::Error, u"macro-name-invalid"_s, value,
                       u"'%1' is not a macro name: 1 to 63 letters, digits, '_' or '-'"_s.arg(name));
        const bool selfReferencing = value.isString() && value.scalar.contains(slug(name));
        if (selfReferencing)
            sink.error(u"macro-self-reference"_s, value, u"macro '%1' refers to itself"_s.arg(name));
        scope.push_back({name, value, true, selfReferencing});
    }
    return scope;
}

// MODEL_ID first, then the globals, with model macros replacing globals of the same name in place.
MacroScope modelScope(const QString &modelId, const MacroScope &globals, const MacroScope &locals)
{
    ConfigNode id;
    id.kind = ConfigNode::Kind::String;
    id.scalar = modelId;
    MacroScope scope{{u"MODEL_ID"_s, id, false}};
    scope.insert(scope.end(), globals.begin(), globals.end());
    for (const Macro &local : locals) {
        auto existing = std::find_if(scope.begin(), scope.end(), [&](const Macro &m) { return m.name == local.name; });
        if (existing != scope.end())
            *existing = local;
        else
            scope.push_back(local);
    }
    return scope;
}

QString substituteText(QString text, const MacroScope &scope)
{
    for (auto it = scope.rbegin(); it != scope.rend(); ++it)
        text.replace(slug(it->name), it->text());
    return text;
}

void substitute(ConfigNode &node, const MacroScope &scope)
{
    if (node.isMap()) {
        for (auto &entry : node.entries)
            substitute(entry.second, scope);
        return;
    }
    if (node.isSequence()) {
        for (ConfigNode &item : node.items)
            substitute(item, scope);
        return;
    }
    for (auto it = scope.rbegin(); it != scope.rend() && node.isString(); ++it) {
        const QString name = slug(it->name);
        if (node.scalar == name) {
            // A value that is only a macro takes the macro's type (`ttl: ${ttl}` is a number).
            node.kind = it->value.kind;
            node.scalar = it->value.scalar;
        } else {
            node.scalar.replace(name, it->text());
        }
    }
}

// filters.setParamsByID keys become aliases, so the loader expands macros in them too.
void substituteSetParamsKeys(ConfigNode &model, const MacroScope &scope)
{
    ConfigNode *filters = model.child(u"filters");
    ConfigNode *byId = filters ? filters->child(u"setParamsByID") : nullptr;
    if (!byId || !byId->isMap())
        return;
    for (auto &entry : byId->entries)
        entry.first = substituteText(entry.first, scope);
}

QString stripCommentLines(const QString &command)
{
    QStringList kept;
    for (const QString &line : command.split(u'\n')) {
        if (!line.trimmed().startsWith(u'#'))
            kept << line;
    }
    return kept.join(u'\n');
}

class LeftoverCheck
{
public:
    LeftoverCheck(FindingSink &sink, const MacroScope &scope, bool inModel)
        : m_sink(sink)
        , m_scope(scope)
        , m_inModel(inModel)
    {
    }

    void visit(const ConfigNode &node)
    {
        if (node.isMap()) {
            for (const auto &[key, value] : node.entries) {
                if (m_inModel && value.path.size() == 5 && value.path[3] == u"setParamsByID"_s)
                    checkText(key, value, true);
                visit(value);
            }
        } else if (node.isSequence()) {
            for (const ConfigNode &item : node.items)
                visit(item);
        } else if (node.isString()) {
            checkText(node.scalar, node, false);
        }
    }

private:
    void checkText(const QString &text, const ConfigNode &at, bool isKey)
    {
        auto matches = macroPattern().globalMatch(text);
        while (matches.hasNext()) {
            const QString name = matches.next().captured(1);
            report(name, at, isKey);
        }
    }

    void report(const QString &name, const ConfigNode &at, bool isKey)
    {
        const FindingSeverity error = FindingSeverity::Error;
        const bool inCmdStop = m_inModel && at.path.size() == 3 && at.path[2] == u"cmdStop"_s;
        if (name == u"PID"_s) {
            if (!inCmdStop)
                m_sink.atKey(error, u"pid-outside-cmdstop"_s, at, u"${PID} is only known when cmdStop runs; it cannot be used here"_s);
            return;
        }
        if (name == u"PORT"_s && m_inModel) {
            m_sink.atKey(error, u"port-without-cmd"_s, at,
                         u"${PORT} is only assigned to a model whose cmd uses ${PORT}, and this model's cmd does not"_s);
            return;
        }
        if ((name == u"PORT"_s || name == u"MODEL_ID"_s) && !m_inModel) {
            m_sink.atKey(error, u"macro-unresolved"_s, at, u"${%1} only has a value inside a model's settings"_s.arg(name));
            return;
        }
        const auto defined = std::find_if(m_scope.begin(), m_scope.end(), [&](const Macro &m) { return m.name == name; });
        if (defined != m_scope.end() && defined->selfReferencing)
            return;
        const auto user = std::find_if(m_scope.begin(), m_scope.end(),
                                       [&](const Macro &m) { return m.value.isString() && m.value.scalar.contains(slug(name)); });
        if (defined != m_scope.end() && user != m_scope.end() && user < defined) {
            m_sink.error(u"macro-defined-later"_s, user->value,
                         u"macro '%1' uses ${%2}, which is defined after it (line %3): a macro may only use macros defined before it"_s
                             .arg(user->name, name)
                             .arg(defined->value.keyMark.line));
            return;
        }
        QString message = u"${%1} is not defined"_s.arg(name);
        if (user != m_scope.end())
            message += u" (it comes from macro '%1', line %2)"_s.arg(user->name).arg(user->value.keyMark.line);
        if (isKey)
            m_sink.atKey(error, u"macro-unresolved"_s, at, message + u" (in a setParamsByID key)"_s);
        else
            m_sink.error(u"macro-unresolved"_s, at, message);
    }

    FindingSink &m_sink;
    const MacroScope &m_scope;
    bool m_inModel;
};

int startPortOf(const ConfigNode &root)
{
    const ConfigNode *startPort = root.child(u"startPort");
    bool ok = false;
    const int port = startPort && startPort->kind == ConfigNode::Kind::Integer ? startPort->scalar.toInt(&ok) : 0;
    return ok ? port : kDefaultStartPort;
}

void expandModel(ConfigNode &model, const QString &id, const MacroScope &globals, int &nextPort, FindingSink &sink)
{
    const MacroScope scope = modelScope(id, globals, declarations(model.child(u"macros"), sink));
    for (const char16_t *field : {u"cmd", u"cmdStop"}) {
        if (ConfigNode *command = model.child(field); command && command->isString())
            command->scalar = stripCommentLines(command->scalar);
    }
    for (auto &[key, value] : model.entries) {
        if (key != u"macros"_s)
            substitute(value, scope);
    }
    substituteSetParamsKeys(model, scope);

    const ConfigNode *cmd = model.child(u"cmd");
    ConfigNode *proxy = model.child(u"proxy");
    const bool proxyImplicit = !proxy || proxy->kind == ConfigNode::Kind::Null;
    const bool cmdHasPort = cmd && cmd->isString() && cmd->scalar.contains(slug(u"PORT"_s));
    if (proxyImplicit && !cmdHasPort) {
        sink.atKey(
            FindingSeverity::Error, u"model-proxy-required"_s, model,
            u"cmd does not use ${PORT}, so the default proxy (%1) has no port: set proxy to where the model listens"_s.arg(kDefaultProxy));
        std::erase_if(model.entries, [](const auto &entry) { return entry.first == u"proxy"_s; }); // reported here, not again
    } else if (proxy && proxyImplicit) {
        // `proxy: ~` means the default to the loader, which it puts in before decoding.
        proxy->kind = ConfigNode::Kind::String;
        proxy->scalar = kDefaultProxy;
    }
    if (cmdHasPort) {
        ConfigNode port;
        port.kind = ConfigNode::Kind::Integer;
        port.scalar = QString::number(nextPort++);
        const MacroScope portScope{{u"PORT"_s, port, false}};
        for (auto &[key, value] : model.entries) {
            if (key != u"macros"_s)
                substitute(value, portScope);
        }
        substituteSetParamsKeys(model, portScope);
    }
    LeftoverCheck check(sink, scope, true);
    for (const auto &[key, value] : model.entries) {
        if (key != u"macros"_s)
            check.visit(value);
    }
}

} // namespace

ConfigNode MacroExpansion::expand(const ConfigNode &raw, FindingSink &sink)
{
    ConfigNode root = raw;
    if (!root.isMap())
        return root;
    const MacroScope globals = declarations(raw.child(u"macros"), sink);
    for (auto &[key, value] : root.entries) {
        if (key != u"macros"_s && key != u"models"_s)
            substitute(value, globals);
    }
    LeftoverCheck topLevel(sink, globals, false);
    for (const auto &[key, value] : root.entries) {
        if (kDecodedTopLevelKeys.contains(key))
            topLevel.visit(value);
    }

    ConfigNode *models = root.child(u"models");
    if (!models || !models->isMap())
        return root;
    // Ports go to models in the order of their ids, like the loader's.
    std::vector<std::pair<QString, ConfigNode> *> ordered;
    for (auto &entry : models->entries)
        ordered.push_back(&entry);
    std::sort(ordered.begin(), ordered.end(), [](auto *a, auto *b) { return a->first < b->first; });
    int nextPort = startPortOf(root);
    for (auto *entry : ordered) {
        if (entry->second.isMap())
            expandModel(entry->second, entry->first, globals, nextPort, sink);
    }
    return root;
}

} // namespace boo

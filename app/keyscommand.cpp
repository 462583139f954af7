#include "app/keyscommand.h"

#include "core/gateway/consumerkeystore.h"
#include "core/store/database.h"
#include "core/store/migrations.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

// Translation context of this command's messages.
struct KeysCli
{
    Q_DECLARE_TR_FUNCTIONS(KeysCli)
};

enum ExitCode { kDone = 0, kDatabase = 1, kUsage = 2, kRefused = 4 };

int fail(const QString &message, int exitCode)
{
    std::fprintf(stderr, "boocontrol keys: %s\n", qUtf8Printable(message));
    return exitCode;
}

void printOut(const QString &text)
{
    std::fputs(qUtf8Printable(text), stdout);
    std::fputc('\n', stdout);
}

void printJson(const QJsonObject &object)
{
    printOut(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

// Errors of the store: the caller's request (4) or the database (1).
int storeFailure(const Error &error)
{
    return fail(error.message, error.code.startsWith(u"key."_s) ? kRefused : kDatabase);
}

Result<std::optional<qint64>> limitOption(const QCommandLineParser &parser, const QCommandLineOption &option, const QString &name)
{
    if (!parser.isSet(option))
        return std::optional<qint64>();
    bool ok = false;
    const qint64 value = parser.value(option).toLongLong(&ok);
    if (!ok || value < 1)
        return makeError(u"cli"_s, KeysCli::tr("--%1 '%2': expected a whole number of at least 1").arg(name, parser.value(option)));
    return std::optional<qint64>(value);
}

// `keys set`: "none" clears a limit (no limit); otherwise as for create.
Result<ConsumerKeyEdit::Limit> editedLimit(const QCommandLineParser &parser, const QCommandLineOption &option, const QString &name)
{
    if (!parser.isSet(option))
        return ConsumerKeyEdit::Limit();
    if (parser.value(option) == u"none"_s)
        return ConsumerKeyEdit::Limit(std::optional<qint64>());
    auto limit = limitOption(parser, option, name);
    if (!limit)
        return makeError(u"cli"_s, limit.error().message + KeysCli::tr(" (or 'none' for no limit)"));
    return ConsumerKeyEdit::Limit(*limit);
}

QStringList modelPatterns(const QString &value)
{
    QStringList patterns;
    for (const QString &pattern : value.split(u',', Qt::SkipEmptyParts))
        patterns << pattern.trimmed();
    return patterns;
}

QString timeText(const std::optional<qint64> &ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC).toString(Qt::ISODate) : u"-"_s;
}

QString limitText(const std::optional<qint64> &limit)
{
    return limit ? QString::number(*limit) : u"-"_s;
}

void printIssued(const IssuedKey &issued, bool json, const QString &what)
{
    if (json) {
        printJson({{u"name"_s, issued.key.name()}, {u"key"_s, issued.secret}, {u"source"_s, issued.key.spec.source}});
        return;
    }
    // The key alone on the first line of stdout, for `KEY=$(boocontrol keys create ... | head -1)`;
    // the note goes to stderr.
    printOut(issued.secret);
    std::fprintf(stderr, "%s\n",
                 qUtf8Printable(KeysCli::tr("%1 consumer key \"%2\" for source \"%3\". This is the only time the key is shown: "
                                            "store it now.")
                                    .arg(what, issued.key.name(), issued.key.spec.source)));
}

void printList(const QList<ConsumerKey> &keys, bool json)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (json) {
        QJsonArray list;
        for (const ConsumerKey &key : keys)
            list.append(key.toJson(now));
        printJson({{u"keys"_s, list}});
        return;
    }
    const QStringList header{u"NAME"_s, u"SOURCE"_s,     u"KEY"_s,     u"STATE"_s,     u"RPM"_s,
                             u"TPM"_s,  u"TOKENS/DAY"_s, u"EXPIRES"_s, u"LAST USED"_s, u"MODELS"_s};
    QList<QStringList> rows{header};
    for (const ConsumerKey &key : keys) {
        rows << QStringList{
            key.name(),
            key.spec.source + (key.spec.allowSubSource ? u"/*"_s : QString()),
            key.keyPrefix + u"..."_s,
            enumNameString(kConsumerKeyStateNames, key.state(now)),
            limitText(key.spec.rpm),
            limitText(key.spec.tpm),
            limitText(key.spec.tokensPerDay),
            timeText(key.spec.expiresAtMs),
            timeText(key.lastUsedAtMs),
            key.spec.models.isEmpty() ? u"*"_s : key.spec.models.join(u','),
        };
    }
    QList<qsizetype> widths(header.size(), 0);
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row.at(i).size());
    }
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += i + 1 == row.size() ? row.at(i) : row.at(i).leftJustified(widths[i] + 2);
        printOut(line);
    }
    if (keys.isEmpty())
        std::fprintf(stderr, "%s\n", qUtf8Printable(KeysCli::tr("no consumer keys yet: boocontrol keys create NAME --source SOURCE")));
}

} // namespace

bool KeysCommand::requested(int argc, char **argv)
{
    return argc > 1 && std::strcmp(argv[1], "keys") == 0;
}

int KeysCommand::run(QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        KeysCli::tr("Consumer keys of the gateway, in the database a 'boocontrol --serve' uses.\n"
                    "  keys create NAME --source SOURCE [limits]   a new key, printed once\n"
                    "  keys list                                   every key (never the key itself)\n"
                    "  keys set NAME [limits] [--disable|--enable] change a key's limits ('none' clears one)\n"
                    "  keys revoke NAME                            the key stops working\n"
                    "  keys rotate NAME                            a new key for NAME; the old one stops working"));
    parser.addHelpOption();
    parser.addPositionalArgument(u"command"_s, KeysCli::tr("create, list, set, revoke or rotate"));
    const QCommandLineOption db(u"db"_s,
                                KeysCli::tr("Database of the server: sqlite:/path/file.sqlite or postgres://... Default: %1.")
                                    .arg(DatabaseUrl::defaultSqlite().displayString()),
                                KeysCli::tr("URL"));
    const QCommandLineOption source(u"source"_s, KeysCli::tr("create: what the key's requests are attributed to."), KeysCli::tr("SOURCE"));
    const QCommandLineOption rpm(u"rpm"_s, KeysCli::tr("create, set: requests per minute."), KeysCli::tr("N"));
    const QCommandLineOption tpm(u"tpm"_s, KeysCli::tr("create, set: tokens per minute (as the hosts report them)."), KeysCli::tr("N"));
    const QCommandLineOption budget(u"budget"_s, KeysCli::tr("create, set: tokens per day (UTC)."), KeysCli::tr("N"));
    const QCommandLineOption models(u"models"_s, KeysCli::tr("create, set: the models or policies the key may use, patterns with * and ?."),
                                    KeysCli::tr("PATTERN,..."));
    const QCommandLineOption expires(u"expires"_s, KeysCli::tr("create, set: expiry, YYYY-MM-DD (start of that day, UTC) or RFC 3339."),
                                     KeysCli::tr("DATE"));
    const QCommandLineOption disable(u"disable"_s, KeysCli::tr("set: refuse the key until --enable (it keeps its secret)."));
    const QCommandLineOption enable(u"enable"_s, KeysCli::tr("set: accept a disabled key again."));
    const QCommandLineOption subSource(u"allow-sub-source"_s, KeysCli::tr("create: honour X-Boo-Source as a sub-source (<source>/<sub>)."));
    const QCommandLineOption json(u"json"_s, KeysCli::tr("Print JSON."));
    parser.addOptions({db, source, rpm, tpm, budget, models, expires, subSource, disable, enable, json});
    QStringList arguments = app.arguments();
    arguments.removeAt(1); // "keys"
    if (!parser.parse(arguments))
        return fail(parser.errorText(), kUsage);
    if (parser.isSet(u"help"_s)) {
        printOut(parser.helpText());
        return kDone;
    }
    const QStringList positional = parser.positionalArguments();
    const QString command = positional.value(0);
    const bool takesName = command == u"create"_s || command == u"set"_s || command == u"revoke"_s || command == u"rotate"_s;
    if (command.isEmpty() || (!takesName && command != u"list"_s))
        return fail(KeysCli::tr("expected create, list, set, revoke or rotate (see boocontrol keys --help)"), kUsage);
    if (positional.size() != (takesName ? 2 : 1))
        return fail(takesName ? KeysCli::tr("%1 needs exactly one key name").arg(command)
                              : KeysCli::tr("unexpected argument '%1'").arg(positional.value(1)),
                    kUsage);
    const QString name = positional.value(1);
    const bool creating = command == u"create"_s;
    const bool setting = command == u"set"_s;
    for (const QCommandLineOption *option : {&source, &subSource}) {
        if (!creating && parser.isSet(*option))
            return fail(KeysCli::tr("--%1 applies to create").arg(option->names().constFirst()), kUsage);
    }
    for (const QCommandLineOption *option : {&rpm, &tpm, &budget, &models, &expires}) {
        if (!creating && !setting && parser.isSet(*option))
            return fail(KeysCli::tr("--%1 applies to create and set").arg(option->names().constFirst()), kUsage);
    }
    for (const QCommandLineOption *option : {&disable, &enable}) {
        if (!setting && parser.isSet(*option))
            return fail(KeysCli::tr("--%1 applies to set").arg(option->names().constFirst()), kUsage);
    }

    ConsumerKeyEdit edit;
    if (setting) {
        if (parser.isSet(disable) && parser.isSet(enable))
            return fail(KeysCli::tr("--disable and --enable exclude each other"), kUsage);
        for (const auto &[option, optionName, target] : {std::tuple{&rpm, u"rpm"_s, &edit.rpm}, std::tuple{&tpm, u"tpm"_s, &edit.tpm},
                                                         std::tuple{&budget, u"budget"_s, &edit.tokensPerDay}}) {
            auto limit = editedLimit(parser, *option, optionName);
            if (!limit)
                return fail(limit.error().message, kUsage);
            *target = *limit;
        }
        if (parser.isSet(models))
            edit.models = parser.value(models) == u"none"_s ? QStringList() : modelPatterns(parser.value(models));
        if (parser.isSet(expires)) {
            if (parser.value(expires) == u"none"_s || parser.value(expires) == u"never"_s) {
                edit.expiresAtMs = std::optional<qint64>();
            } else {
                auto at = ConsumerKeySpec::parseExpiry(parser.value(expires));
                if (!at)
                    return fail(u"--expires: "_s + at.error().message + KeysCli::tr(" (or 'never')"), kUsage);
                edit.expiresAtMs = std::optional<qint64>(*at);
            }
        }
        if (parser.isSet(disable) || parser.isSet(enable))
            edit.disabled = parser.isSet(disable);
        if (edit.isEmpty())
            return fail(KeysCli::tr("set needs something to change: --rpm, --tpm, --budget, --models, --expires, --disable or --enable"),
                        kUsage);
        // The limits are checked before the database is opened, as for create.
        ConsumerKey probe;
        if (auto valid = edit.appliedTo(probe); !valid)
            return fail(valid.error().message, kUsage);
    }

    ConsumerKeySpec spec;
    if (creating) {
        spec.name = name;
        spec.source = parser.value(source);
        if (spec.source.isEmpty())
            return fail(KeysCli::tr("create needs --source SOURCE: what the key's requests are attributed to"), kUsage);
        spec.allowSubSource = parser.isSet(subSource);
        for (const auto &[option, optionName, target] : {std::tuple{&rpm, u"rpm"_s, &spec.rpm}, std::tuple{&tpm, u"tpm"_s, &spec.tpm},
                                                         std::tuple{&budget, u"budget"_s, &spec.tokensPerDay}}) {
            auto limit = limitOption(parser, *option, optionName);
            if (!limit)
                return fail(limit.error().message, kUsage);
            *target = *limit;
        }
        if (parser.isSet(models))
            spec.models = modelPatterns(parser.value(models));
        if (parser.isSet(expires)) {
            auto at = ConsumerKeySpec::parseExpiry(parser.value(expires));
            if (!at)
                return fail(u"--expires: "_s + at.error().message, kUsage);
            spec.expiresAtMs = *at;
        }
        if (auto valid = spec.validate(); !valid)
            return fail(valid.error().message, kUsage);
    }

    DatabaseUrl url = DatabaseUrl::defaultSqlite();
    if (parser.isSet(db)) {
        auto parsed = DatabaseUrl::parse(parser.value(db));
        if (!parsed)
            return fail(parsed.error().message, kUsage);
        url = *parsed;
    }
    auto database = Database::open(url, u"keys"_s);
    if (!database)
        return fail(database.error().message, kDatabase);
    if (auto migrated = Migrations::migrate(**database); !migrated)
        return fail(migrated.error().message, kDatabase);
    Database &store = **database;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool asJson = parser.isSet(json);

    if (creating) {
        auto issued = ConsumerKeyStore::create(store, spec, now);
        if (!issued)
            return storeFailure(issued.error());
        printIssued(*issued, asJson, KeysCli::tr("Created"));
        return kDone;
    }
    if (command == u"rotate"_s) {
        auto issued = ConsumerKeyStore::rotate(store, name, now);
        if (!issued)
            return storeFailure(issued.error());
        printIssued(*issued, asJson, KeysCli::tr("Rotated"));
        return kDone;
    }
    if (setting) {
        auto changed = ConsumerKeyStore::update(store, name, edit, now);
        if (!changed)
            return storeFailure(changed.error());
        if (asJson)
            printJson(changed->toJson(now));
        else
            printList({*changed}, false);
        return kDone;
    }
    if (command == u"revoke"_s) {
        auto revoked = ConsumerKeyStore::revoke(store, name, now);
        if (!revoked)
            return storeFailure(revoked.error());
        if (asJson)
            printJson(revoked->toJson(now));
        else
            printOut(KeysCli::tr("revoked consumer key \"%1\" (%2...)").arg(name, revoked->keyPrefix));
        return kDone;
    }
    auto keys = ConsumerKeyStore::list(store);
    if (!keys)
        return storeFailure(keys.error());
    printList(*keys, asJson);
    return kDone;
}

} // namespace boo

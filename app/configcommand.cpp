#include "app/configcommand.h"

#include "app/confighostcommand.h"

#include "core/remote/configvalidator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>

#include <cstdio>
#include <cstring>

using namespace Qt::StringLiterals;

namespace boo {
namespace {

// Translation context for these commands (lupdate needs a named one).
struct ConfigCli
{
    Q_DECLARE_TR_FUNCTIONS(ConfigCli)
};

constexpr int kExitValid = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

int usageError(const QString &message)
{
    std::fprintf(stderr, "boocontrol config: %s\n%s\n", qUtf8Printable(message),
                 qUtf8Printable(ConfigCli::tr("usage: boocontrol config validate FILE.yaml [--json]\n"
                                              "       boocontrol config diff|apply HOST FILE.yaml [--yes] [--json]\n"
                                              "       boocontrol config backups HOST [--json]\n"
                                              "       boocontrol config rollback HOST [BACKUP_ID] [--yes] [--json]\n"
                                              "       boocontrol config trust HOST [--yes]")));
    return kExitUsage;
}

void print(std::FILE *stream, const QString &text)
{
    std::fputs(qUtf8Printable(text), stream);
    std::fputc('\n', stream);
}

int validate(const QString &path, bool json)
{
    const auto report = ConfigValidator::validateFile(path);
    if (!report) {
        print(stderr, u"boocontrol config validate: "_s + report.error().message);
        return kExitUsage;
    }
    if (json) {
        print(stdout, QString::fromUtf8(QJsonDocument(report->toJson()).toJson(QJsonDocument::Indented)).trimmed());
    } else {
        for (const ConfigFinding &finding : report->findings)
            print(stdout, finding.toText(path));
        const auto errors = report->errors().size();
        const auto warnings = report->warnings().size();
        print(stdout,
              report->valid()
                  ? ConfigCli::tr("%1: valid for llama-swap (%n warning(s))", nullptr, int(warnings)).arg(path)
                  : ConfigCli::tr("%1: llama-swap would refuse this file: %2 error(s), %3 warning(s)").arg(path).arg(errors).arg(warnings));
    }
    return report->valid() ? kExitValid : kExitInvalid;
}

} // namespace

bool isConfigCommand(int argc, char **argv)
{
    return argc > 1 && std::strcmp(argv[1], "config") == 0;
}

int runConfigCommand(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"boocontrol"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(BOO_VERSION_STRING));
    // The same data directory as the rest of the program: the history database, known_hosts.
    QCoreApplication::setOrganizationDomain(u"boocontrol.dev"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        ConfigCli::tr("Check a llama-swap config file the way llama-swap's loader would, without a host; or change a host's "
                      "config over SSH as a deploy: validate, diff, back up, write, reload, wait for health, roll back on failure."));
    parser.addHelpOption();
    const QCommandLineOption json(u"json"_s, ConfigCli::tr("Print the result as JSON."));
    const QCommandLineOption yes(u"yes"_s, ConfigCli::tr("apply, rollback, trust: do not ask (needed when not on a terminal)."));
    const QCommandLineOption db(
        u"db"_s, ConfigCli::tr("Database URL (sqlite:/path or postgres://...) for leases and backups; default the user's history."),
        u"URL"_s);
    const QCommandLineOption providers(u"providers"_s, ConfigCli::tr("Provider registry file (the hosts and their \"ssh\" settings)."),
                                       u"FILE"_s);
    const QCommandLineOption knownHosts(u"known-hosts"_s, ConfigCli::tr("BooControl's known_hosts file (default: in the data directory)."),
                                        u"FILE"_s);
    const QCommandLineOption reason(u"reason"_s, ConfigCli::tr("apply, rollback: why, kept with the backup."), u"TEXT"_s);
    parser.addOptions({json, yes, db, providers, knownHosts, reason});
    parser.addPositionalArgument(u"command"_s, ConfigCli::tr("validate, diff, apply, backups, rollback or trust."),
                                 u"config validate|diff|apply|backups|rollback|trust"_s);
    parser.addPositionalArgument(u"arguments"_s,
                                 ConfigCli::tr("validate FILE.yaml | diff HOST FILE.yaml | apply HOST FILE.yaml | "
                                               "backups HOST | rollback HOST [BACKUP_ID] | trust HOST"),
                                 u"[ARGUMENTS...]"_s);
    if (!parser.parse(QCoreApplication::arguments()))
        return usageError(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        print(stdout, parser.helpText());
        return kExitValid;
    }
    QStringList arguments = parser.positionalArguments();
    arguments.removeFirst(); // "config"
    static const QStringList hostCommands{u"diff"_s, u"apply"_s, u"backups"_s, u"rollback"_s, u"trust"_s};
    if (!arguments.isEmpty() && hostCommands.contains(arguments.constFirst())) {
        const QString &command = arguments.constFirst();
        const qsizetype given = arguments.size() - 1;
        const bool oneHost = command == u"backups"_s || command == u"trust"_s;
        if ((oneHost && given != 1) || ((command == u"diff"_s || command == u"apply"_s) && given != 2)
            || (command == u"rollback"_s && (given < 1 || given > 2)))
            return usageError(ConfigCli::tr("%1: wrong number of arguments").arg(command));
        ConfigHostOptions options;
        options.command = arguments.takeFirst();
        options.args = arguments;
        options.db = parser.value(db);
        options.providers = parser.value(providers);
        options.knownHosts = parser.value(knownHosts);
        options.reason = parser.value(reason);
        options.yes = parser.isSet(yes);
        options.json = parser.isSet(json);
        return runConfigHostCommand(options);
    }
    if (arguments.isEmpty() || arguments.constFirst() != u"validate"_s)
        return usageError(arguments.isEmpty() ? ConfigCli::tr("a command is needed")
                                              : ConfigCli::tr("unknown command '%1'").arg(arguments.constFirst()));
    if (arguments.size() != 2)
        return usageError(ConfigCli::tr("validate takes exactly one file"));
    return validate(arguments.at(1), parser.isSet(json));
}

} // namespace boo

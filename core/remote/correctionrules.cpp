// Settings llama-swap accepts but corrects or ignores without failing (warnings), and values it
// refuses that only code can check (errors).

#include "core/remote/configrules.h"

#include <QRegularExpression>

#include <optional>

using namespace Qt::StringLiterals;

namespace boo {
namespace {

constexpr int kMinimumHealthCheckTimeout = 15;
constexpr double kMinimumPerformanceEverySeconds = 5;

void healthCheckTimeoutRaised(const RuleContext &context)
{
    const ConfigNode *timeout = context.root.child(u"healthCheckTimeout");
    if (timeout && timeout->kind == ConfigNode::Kind::Integer && timeout->scalar.toLongLong() < kMinimumHealthCheckTimeout)
        context.sink.warning(u"health-check-timeout-raised"_s, *timeout,
                             u"%1 s is below the minimum: llama-swap waits %2 s"_s.arg(timeout->scalar).arg(kMinimumHealthCheckTimeout));
}

void logLevelUnknown(const RuleContext &context)
{
    static const QStringList levels = {u"debug"_s, u"info"_s, u"warn"_s, u"error"_s};
    const ConfigNode *level = context.root.child(u"logLevel");
    if (level && level->isString() && !levels.contains(level->scalar.trimmed().toLower()))
        context.sink.warning(u"log-level-unknown"_s, *level,
                             u"'%1' is not debug, info, warn or error: llama-swap logs at info"_s.arg(level->scalar));
}

void logTimeFormatUnknown(const RuleContext &context)
{
    static const QStringList formats
        = {u"ansic"_s,   u"unixdate"_s,    u"rubydate"_s, u"rfc822"_s, u"rfc822z"_s,    u"rfc850"_s,     u"rfc1123"_s,  u"rfc1123z"_s,
           u"rfc3339"_s, u"rfc3339nano"_s, u"kitchen"_s,  u"stamp"_s,  u"stampmilli"_s, u"stampmicro"_s, u"stampnano"_s};
    const ConfigNode *format = context.root.child(u"logTimeFormat");
    const QString name = format ? format->text().trimmed().toLower() : QString();
    if (!name.isEmpty() && !formats.contains(name))
        context.sink.warning(
            u"log-time-format-unknown"_s, *format,
            u"'%1' is not a time format llama-swap knows (rfc3339, stampmilli, kitchen, ...): log lines get no time"_s.arg(format->scalar));
}

// A Go duration ("1m30s", "250ms") in seconds; nullopt when it is not one (the schema says so).
std::optional<double> goDurationSeconds(const QString &text)
{
    static const QRegularExpression part(u"([0-9]*\\.?[0-9]+|[0-9]+\\.)(ns|us|µs|μs|ms|s|m|h)"_s);
    if (text == u"0"_s)
        return 0.0;
    double seconds = 0;
    qsizetype consumed = 0;
    auto matches = part.globalMatch(text);
    while (matches.hasNext()) {
        const QRegularExpressionMatch match = matches.next();
        if (match.capturedStart() != consumed)
            return std::nullopt;
        consumed = match.capturedEnd();
        const QString unit = match.captured(2);
        const double scale = unit == u"h"_s ? 3600
            : unit == u"m"_s                ? 60
            : unit == u"s"_s                ? 1
            : unit == u"ms"_s               ? 1e-3
            : unit == u"ns"_s               ? 1e-9
                                            : 1e-6;
        seconds += match.captured(1).toDouble() * scale;
    }
    if (consumed == 0 || consumed != text.size())
        return std::nullopt;
    return seconds;
}

void performanceEveryTooShort(const RuleContext &context)
{
    const ConfigNode *every = context.root.find({u"performance"_s, u"every"_s});
    if (!every || !every->isString())
        return;
    const auto seconds = goDurationSeconds(every->scalar);
    if (seconds && *seconds > 0 && *seconds < kMinimumPerformanceEverySeconds)
        context.sink.error(u"performance-every-too-short"_s, *every,
                           u"'%1' is shorter than 5s, which llama-swap refuses (0 or no value means 5s)"_s.arg(every->scalar));
}

// llama-swap compiles these with Go's RE2; a pattern PCRE cannot compile, RE2 cannot either.
// (RE2 refuses a few PCRE-only constructs — backreferences, lookaround — checked here too.)
void ignorePathInvalid(const RuleContext &context)
{
    static const QRegularExpression pcreOnly(u"\\\\[1-9]|\\(\\?[=!<]|\\(\\?>"_s);
    const ConfigNode *paths = context.root.find({u"upstream"_s, u"ignorePaths"_s});
    if (!paths || !paths->isSequence())
        return;
    for (const ConfigNode &path : paths->items) {
        if (!path.isString())
            continue;
        const QRegularExpression expression(path.scalar);
        if (!expression.isValid())
            context.sink.error(
                u"ignore-path-invalid"_s, path,
                u"not a regular expression: %1 at offset %2"_s.arg(expression.errorString()).arg(expression.patternErrorOffset()));
        else if (pcreOnly.match(path.scalar).hasMatch())
            context.sink.error(u"ignore-path-invalid"_s, path, u"uses a backreference or lookaround, which Go's RE2 does not support"_s);
    }
}

constexpr ConfigRule kRules[] = {
    {u"health-check-timeout-raised", healthCheckTimeoutRaised},
    {u"log-level-unknown", logLevelUnknown},
    {u"log-time-format-unknown", logTimeFormatUnknown},
    {u"performance-every-too-short", performanceEveryTooShort},
    {u"ignore-path-invalid", ignorePathInvalid},
};

} // namespace

std::span<const ConfigRule> correctionRules()
{
    return kRules;
}

} // namespace boo

#include "core/protocol/versioninfo.h"

#include "core/protocol/jsonfields.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace boo {

VersionInfo VersionInfo::fromVersionString(const QString &version)
{
    VersionInfo info;
    info.version = version;
    // Tags are "v<number>"; `git describe` appends "-<commits>-g<hash>" (and maybe "-dirty").
    static const QRegularExpression pattern(u"^v(\\d{1,6})(?:-(\\d{1,9})-g[0-9a-fA-F]+)?(?:-dirty)?$"_s);
    const auto match = pattern.match(version.trimmed());
    if (!match.hasMatch())
        return info;
    info.release = match.captured(1).toInt();
    info.commitsAfterRelease = match.captured(2).isEmpty() ? 0 : match.captured(2).toInt();
    return info;
}

Result<VersionInfo> VersionInfo::fromJson(const QByteArray &body)
{
    const QString what = u"/api/version"_s;
    auto object = JsonFields::parseObject(body, what);
    if (!object)
        return object.error();
    JsonFields f(*object, what);
    const QString version = f.string(u"version"_s, JsonFields::Required);
    const QString commit = f.string(u"commit"_s);
    const QString buildDate = f.string(u"build_date"_s);
    if (f.failed())
        return f.error();
    VersionInfo info = fromVersionString(version);
    info.commit = commit;
    info.buildDate = buildDate;
    return info;
}

} // namespace boo

#pragma once

#include "core/common/result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace boo {

// `GET /api/version`, plus what the version string says about the release:
//   "v250"            release 250
//   "v250-5-g0bdb37"  5 commits after release 250 (a `make` build from git)
//   "0", "unknown"    an un-stamped dev build: no release number
struct VersionInfo
{
    QString version;
    QString commit;
    QString buildDate;

    std::optional<int> release;  // 250 for "v250" and "v250-5-g0bdb37"
    int commitsAfterRelease = 0; // 5 for "v250-5-g0bdb37"

    bool isDevBuild() const { return !release.has_value(); }

    static Result<VersionInfo> fromJson(const QByteArray &body);
    // Fills release / commitsAfterRelease from a version string (no error: unknown = dev build).
    static VersionInfo fromVersionString(const QString &version);

    friend bool operator==(const VersionInfo &, const VersionInfo &) = default;
};

} // namespace boo

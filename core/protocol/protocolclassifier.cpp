#include "core/protocol/protocolclassifier.h"

namespace boo {

ProtocolGeneration ProtocolClassifier::classifyVersion(const VersionInfo &version)
{
    if (!version.release)
        return ProtocolGeneration::Current;
    const int release = *version.release;
    if (release <= 235)
        return ProtocolGeneration::Legacy235;
    // The id filters arrived in the commits after the v250 tag.
    if (release < 250 || (release == 250 && version.commitsAfterRelease == 0))
        return ProtocolGeneration::Paged236to250;
    return ProtocolGeneration::Current;
}

ProtocolGeneration ProtocolClassifier::classify(const VersionInfo &version, const Evidence &evidence)
{
    if (evidence.activityEndpoint == Endpoint::NotFound)
        return ProtocolGeneration::Legacy235;
    if (evidence.idFilter == IdFilter::Ignored)
        return ProtocolGeneration::Paged236to250;
    if (evidence.idFilter == IdFilter::Honoured)
        return ProtocolGeneration::Current;
    const ProtocolGeneration byVersion = classifyVersion(version);
    if (byVersion == ProtocolGeneration::Legacy235 && evidence.activityEndpoint == Endpoint::Present)
        return ProtocolGeneration::Paged236to250;
    return byVersion;
}

ProtocolClassifier::IdFilter ProtocolClassifier::judgeIdFilter(const ActivityPage &page, qint64 minId, qint64 maxId)
{
    for (const ActivityEntry &entry : page.data) {
        if (entry.id < minId || entry.id > maxId)
            return IdFilter::Ignored;
    }
    // Ids are unique, so a filtered answer can never count more rows than the range holds.
    // (Unsigned arithmetic: the span of any two qint64 fits, and cannot overflow.)
    if (maxId >= minId && page.total > 0 && quint64(page.total - 1) > quint64(maxId) - quint64(minId))
        return IdFilter::Ignored;
    if (page.data.isEmpty())
        return IdFilter::NotProbed;
    return IdFilter::Honoured;
}

} // namespace boo

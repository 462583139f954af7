#pragma once

#include "core/common/result.h"
#include "core/remote/configfinding.h"
#include "core/remote/confignode.h"

#include <QByteArray>

namespace boo {

// A YAML document as ConfigNodes, with what llama-swap's YAML library (go-yaml v3) would say
// about it that yaml-cpp does not: a key defined twice in one mapping is an error there.
struct YamlDocument
{
    ConfigNode root;
    QList<ConfigFinding> findings;
};

// Reads YAML the way llama-swap's loader sees it: scalars typed by the YAML 1.2 core schema
// (quoted scalars are always strings), aliases materialised, `<<` merge keys applied. A
// document that is not YAML at all is an Error (code "config.yaml-syntax") with line and column
// in `message`; `errorMark` tells the caller where.
class YamlConfigReader final
{
public:
    static Result<YamlDocument> read(const QByteArray &text, SourceMark *errorMark = nullptr);
};

} // namespace boo

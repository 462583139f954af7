#include "core/remote/yamlconfigreader.h"

#include <QRegularExpression>

// GCC 12 and later see dangling pointers in yaml-cpp 0.7's inlined node lookups that are not
// there (the temporaries live for the whole expression); the warning is about the header.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdangling-pointer"
#endif
#include <yaml-cpp/yaml.h>
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic pop
#endif

#include <set>

using namespace Qt::StringLiterals;

namespace boo {
namespace {

SourceMark markOf(const YAML::Mark &mark)
{
    if (mark.is_null())
        return {};
    return {mark.line + 1, mark.column + 1};
}

// The YAML 1.2 core schema, as go-yaml v3 resolves plain scalars (it also reads 0o17 and 0b1).
ConfigNode::Kind resolvePlainScalar(const QString &text)
{
    static const QRegularExpression nullPattern(u"^(~|null|Null|NULL|)$"_s);
    static const QRegularExpression boolPattern(u"^(true|True|TRUE|false|False|FALSE)$"_s);
    static const QRegularExpression intPattern(u"^([-+]?[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+|0b[01]+)$"_s);
    static const QRegularExpression floatPattern(
        u"^([-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN))$"_s);
    if (nullPattern.match(text).hasMatch())
        return ConfigNode::Kind::Null;
    if (boolPattern.match(text).hasMatch())
        return ConfigNode::Kind::Bool;
    if (intPattern.match(text).hasMatch())
        return ConfigNode::Kind::Integer;
    if (floatPattern.match(text).hasMatch())
        return ConfigNode::Kind::Float;
    return ConfigNode::Kind::String;
}

class Converter
{
public:
    QList<ConfigFinding> findings;

    ConfigNode convert(const YAML::Node &yaml, const QStringList &path, int depth)
    {
        ConfigNode node;
        node.path = path;
        node.mark = markOf(yaml.Mark());
        // Aliases can make a document exponentially large or circular; llama-swap refuses
        // excessive aliasing too, so refusing deep nesting costs a real config nothing.
        if (depth > 64) {
            findings << ConfigFinding{FindingSeverity::Error, u"yaml-syntax"_s, ConfigNode::displayPath(path), node.mark,
                                      u"nested too deeply (more than 64 levels)"_s};
            return node;
        }
        switch (yaml.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null: node.kind = ConfigNode::Kind::Null; break;
        case YAML::NodeType::Scalar:
            node.scalar = QString::fromStdString(yaml.Scalar());
            node.kind = scalarKind(yaml, node.scalar);
            if (node.kind == ConfigNode::Kind::Null)
                node.scalar.clear();
            break;
        case YAML::NodeType::Sequence:
            node.kind = ConfigNode::Kind::Sequence;
            for (std::size_t i = 0; i < yaml.size(); ++i)
                node.items.push_back(convert(yaml[i], path + QStringList{u"[%1]"_s.arg(i)}, depth + 1));
            break;
        case YAML::NodeType::Map:
            node.kind = ConfigNode::Kind::Map;
            convertMap(yaml, node, depth);
            break;
        }
        return node;
    }

private:
    static ConfigNode::Kind scalarKind(const YAML::Node &yaml, const QString &text)
    {
        const std::string &tag = yaml.Tag();
        if (tag == "!" || tag == "tag:yaml.org,2002:str" || tag == "!!str")
            return ConfigNode::Kind::String;
        return resolvePlainScalar(text);
    }

    void convertMap(const YAML::Node &yaml, ConfigNode &node, int depth)
    {
        std::vector<YAML::Node> merged;
        std::set<QString> seen;
        for (auto it = yaml.begin(); it != yaml.end(); ++it) {
            // A copy: yaml-cpp's iterator hands out a temporary pair, so a reference to its
            // `first` dangles after this line (AddressSanitizer: stack-use-after-scope).
            const YAML::Node keyNode = it->first;
            const QString key = keyNode.IsScalar() ? QString::fromStdString(keyNode.Scalar()) : QString();
            if (key == u"<<"_s && keyNode.Tag() == "?") {
                merged.push_back(it->second);
                continue;
            }
            ConfigNode value = convert(it->second, node.path + QStringList{key}, depth + 1);
            value.keyMark = markOf(keyNode.Mark());
            if (!seen.insert(key).second) {
                findings << ConfigFinding{FindingSeverity::Error, u"duplicate-key"_s, value.displayPath(), value.keyMark,
                                          u"key '%1' is already defined in this mapping; llama-swap refuses the file"_s.arg(key)};
                continue;
            }
            node.entries.emplace_back(key, std::move(value));
        }
        // `<<: *base` (or a list of them): keys written in the mapping itself win, earlier merged
        // mappings win over later ones, as in YAML's merge key type.
        for (const YAML::Node &source : merged) {
            std::vector<YAML::Node> sources;
            if (source.IsSequence()) {
                for (std::size_t i = 0; i < source.size(); ++i)
                    sources.push_back(source[i]);
            } else {
                sources.push_back(source);
            }
            for (const YAML::Node &mapping : sources) {
                if (!mapping.IsMap()) {
                    findings << ConfigFinding{FindingSeverity::Error, u"yaml-syntax"_s, node.displayPath(), markOf(mapping.Mark()),
                                              u"a merge key (<<) needs a mapping or a list of mappings"_s};
                    continue;
                }
                for (auto it = mapping.begin(); it != mapping.end(); ++it) {
                    const QString key = it->first.IsScalar() ? QString::fromStdString(it->first.Scalar()) : QString();
                    if (!seen.insert(key).second)
                        continue;
                    ConfigNode value = convert(it->second, node.path + QStringList{key}, depth + 1);
                    value.keyMark = markOf(it->first.Mark());
                    node.entries.emplace_back(key, std::move(value));
                }
            }
        }
    }
};

} // namespace

Result<YamlDocument> YamlConfigReader::read(const QByteArray &text, SourceMark *errorMark)
{
    YAML::Node yaml;
    try {
        yaml = YAML::Load(text.toStdString());
    } catch (const YAML::Exception &e) {
        const SourceMark mark = markOf(e.mark);
        if (errorMark)
            *errorMark = mark;
        return makeError(u"config.yaml-syntax"_s, QString::fromStdString(e.msg));
    }
    Converter converter;
    YamlDocument document;
    document.root = converter.convert(yaml, {}, 0);
    document.findings = converter.findings;
    return document;
}

} // namespace boo

#pragma once

#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <utility>
#include <vector>

namespace boo {

// Where something was written: 1-based line and column, 0 when unknown (a value made up by the
// validator, such as a default that llama-swap inserts).
struct SourceMark
{
    int line = 0;
    int column = 0;

    friend bool operator==(const SourceMark &, const SourceMark &) = default;
};

// One value of a llama-swap config file with the place it came from. The validator needs what
// QJsonValue cannot hold: the order of mapping keys (macros may only use macros defined before
// them), the line and column of every key and value, and the path to it for messages.
class ConfigNode
{
public:
    enum class Kind { Null, Bool, Integer, Float, String, Map, Sequence };

    Kind kind = Kind::Null;
    QString scalar;                                      // the scalar as written (for strings: the value); empty for containers
    SourceMark mark;                                     // where the value starts
    SourceMark keyMark;                                  // where its key starts, for a value in a mapping
    QStringList path;                                    // keys from the root; sequence items are "[n]"
    std::vector<std::pair<QString, ConfigNode>> entries; // Map, in document order
    std::vector<ConfigNode> items;                       // Sequence

    bool isMap() const { return kind == Kind::Map; }
    bool isSequence() const { return kind == Kind::Sequence; }
    bool isString() const { return kind == Kind::String; }
    bool isScalar() const { return kind != Kind::Map && kind != Kind::Sequence; }

    // The entry `key` of a mapping, or nullptr (also when this is not a mapping).
    const ConfigNode *child(QStringView key) const;
    ConfigNode *child(QStringView key);
    // The node at `path` below this one ("[n]" segments index sequences), or nullptr.
    const ConfigNode *find(const QStringList &relativePath) const;
    // The scalar text of a string value, or `fallback` for anything else.
    QString text(const QString &fallback = {}) const;
    // The strings of a sequence of strings (other items are skipped).
    QStringList strings() const;
    // Keys of a mapping in document order.
    QStringList keys() const;

    QJsonValue toJson() const;

    // "models.gpt.aliases[1]": the path as messages print it.
    static QString displayPath(const QStringList &path);
    QString displayPath() const { return displayPath(path); }
};

} // namespace boo

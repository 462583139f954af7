#include "core/remote/confignode.h"

#include <QJsonArray>
#include <QJsonObject>

#include <limits>

using namespace Qt::StringLiterals;

namespace boo {

const ConfigNode *ConfigNode::child(QStringView key) const
{
    for (const auto &[name, value] : entries) {
        if (name == key)
            return &value;
    }
    return nullptr;
}

ConfigNode *ConfigNode::child(QStringView key)
{
    return const_cast<ConfigNode *>(std::as_const(*this).child(key));
}

const ConfigNode *ConfigNode::find(const QStringList &relativePath) const
{
    const ConfigNode *node = this;
    for (const QString &segment : relativePath) {
        if (node->isSequence() && segment.startsWith(u'[') && segment.endsWith(u']')) {
            bool ok = false;
            const qsizetype index = QStringView(segment).mid(1, segment.size() - 2).toLongLong(&ok);
            if (!ok || index < 0 || index >= qsizetype(node->items.size()))
                return nullptr;
            node = &node->items[std::size_t(index)];
        } else {
            node = node->child(segment);
        }
        if (!node)
            return nullptr;
    }
    return node;
}

QString ConfigNode::text(const QString &fallback) const
{
    return kind == Kind::String ? scalar : fallback;
}

QStringList ConfigNode::strings() const
{
    QStringList result;
    for (const ConfigNode &item : items) {
        if (item.isString())
            result << item.scalar;
    }
    return result;
}

QStringList ConfigNode::keys() const
{
    QStringList result;
    for (const auto &entry : entries)
        result << entry.first;
    return result;
}

QJsonValue ConfigNode::toJson() const
{
    switch (kind) {
    case Kind::Null: return QJsonValue::Null;
    case Kind::Bool: return scalar.compare(u"true"_s, Qt::CaseInsensitive) == 0;
    case Kind::Integer: {
        bool ok = false;
        const qint64 value = scalar.toLongLong(&ok, 0);
        return ok ? QJsonValue(value) : QJsonValue(scalar.toDouble());
    }
    case Kind::Float: {
        QString text = scalar.toLower();
        if (text.endsWith(u".inf"_s))
            return text.startsWith(u'-') ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
        return text.toDouble();
    }
    case Kind::String: return scalar;
    case Kind::Map: {
        QJsonObject object;
        for (const auto &[key, value] : entries)
            object.insert(key, value.toJson());
        return object;
    }
    case Kind::Sequence: {
        QJsonArray array;
        for (const ConfigNode &item : items)
            array.append(item.toJson());
        return array;
    }
    }
    return QJsonValue::Null;
}

QString ConfigNode::displayPath(const QStringList &path)
{
    QString text;
    for (const QString &segment : path) {
        if (!text.isEmpty() && !segment.startsWith(u'['))
            text += u'.';
        text += segment;
    }
    return text;
}

} // namespace boo

#include "core/evals/codeextraction.h"

#include <QList>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace boo {

namespace {

struct FencedBlock
{
    QString info; // the word after the opening fence, lower case
    QString body;
};

// Fences are lines starting with ``` (after indentation); the closing one has no info string.
QList<FencedBlock> fencedBlocks(const QString &answer)
{
    QList<FencedBlock> blocks;
    const QStringList lines = answer.split(u'\n');
    bool inside = false;
    FencedBlock current;
    QStringList body;
    for (const QString &raw : lines) {
        const QString line = raw.trimmed();
        if (!line.startsWith(u"```"_s)) {
            if (inside)
                body << raw;
            continue;
        }
        if (!inside) {
            inside = true;
            current = FencedBlock{line.mid(3).trimmed().section(u' ', 0, 0).toLower(), QString()};
            body.clear();
        } else {
            inside = false;
            current.body = body.join(u'\n');
            blocks << current;
        }
    }
    if (inside) {
        current.body = body.join(u'\n');
        blocks << current;
    }
    return blocks;
}

} // namespace

QString extractPythonCode(const QString &answer)
{
    QString text = answer;
    text.replace(u"\r\n"_s, u"\n"_s);
    const QList<FencedBlock> blocks = fencedBlocks(text);
    for (const FencedBlock &block : blocks) {
        if (block.info == u"python" || block.info == u"py" || block.info == u"python3")
            return block.body;
    }
    if (!blocks.isEmpty())
        return blocks.constFirst().body;
    return text;
}

} // namespace boo

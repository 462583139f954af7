#include "core/remote/configdiff.h"

#include <QStringList>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace boo {
namespace {

struct Line
{
    QString text;
    bool newlineAtEnd = true;

    bool operator==(const Line &other) const { return text == other.text && newlineAtEnd == other.newlineAtEnd; }
};

std::vector<Line> splitLines(const QByteArray &data)
{
    std::vector<Line> lines;
    const QString text = QString::fromUtf8(data);
    qsizetype start = 0;
    while (start < text.size()) {
        const qsizetype end = text.indexOf(u'\n', start);
        if (end < 0) {
            lines.push_back({text.mid(start), false});
            break;
        }
        lines.push_back({text.mid(start, end - start), true});
        start = end + 1;
    }
    return lines;
}

// One line of the edit script: ' ' kept, '-' removed, '+' added, with its line in each file.
struct Edit
{
    char16_t kind;
    int oldIndex;
    int newIndex;
};

// Longest common subsequence by dynamic programming over the lines between the common prefix
// and suffix: config files are small, and the trimmed middle of an edit smaller still.
std::vector<Edit> editScript(const std::vector<Line> &a, const std::vector<Line> &b)
{
    int prefix = 0;
    while (prefix < int(a.size()) && prefix < int(b.size()) && a[prefix] == b[prefix])
        ++prefix;
    int suffix = 0;
    while (suffix < int(a.size()) - prefix && suffix < int(b.size()) - prefix && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
        ++suffix;
    const int n = int(a.size()) - prefix - suffix;
    const int m = int(b.size()) - prefix - suffix;

    std::vector<Edit> edits;
    for (int i = 0; i < prefix; ++i)
        edits.push_back({u' ', i, i});
    if (qint64(n) * m > ConfigDiff::kMaxComparedPairs) {
        for (int i = 0; i < n; ++i)
            edits.push_back({u'-', prefix + i, -1});
        for (int j = 0; j < m; ++j)
            edits.push_back({u'+', -1, prefix + j});
    } else {
        // lcs[i][j]: common lines of a[i..n) and b[j..m) (offset by prefix).
        std::vector<std::vector<int>> lcs(std::size_t(n) + 1, std::vector<int>(std::size_t(m) + 1, 0));
        for (int i = n - 1; i >= 0; --i) {
            for (int j = m - 1; j >= 0; --j)
                lcs[i][j] = a[prefix + i] == b[prefix + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
                edits.push_back({u' ', prefix + i++, prefix + j++});
            } else if (j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j])) {
                edits.push_back({u'+', -1, prefix + j++});
            } else {
                edits.push_back({u'-', prefix + i++, -1});
            }
        }
    }
    for (int k = 0; k < suffix; ++k)
        edits.push_back({u' ', int(a.size()) - suffix + k, int(b.size()) - suffix + k});
    return edits;
}

QString range(int start, int count)
{
    // diff -u: "l,s", "l" when s is 1, and the line before the hunk when it is empty.
    if (count == 0)
        return u"%1,0"_s.arg(start);
    return count == 1 ? QString::number(start + 1) : u"%1,%2"_s.arg(start + 1).arg(count);
}

} // namespace

QString ConfigDiff::unified(const QByteArray &before, const QByteArray &after, const QString &label, int context)
{
    if (before == after)
        return {};
    const std::vector<Line> a = splitLines(before);
    const std::vector<Line> b = splitLines(after);
    const std::vector<Edit> edits = editScript(a, b);

    QString out = u"--- a/%1\n+++ b/%1\n"_s.arg(label);
    std::size_t k = 0;
    while (k < edits.size()) {
        // The next change, with `context` kept lines around it; changes closer than twice the
        // context share a hunk.
        while (k < edits.size() && edits[k].kind == u' ')
            ++k;
        if (k == edits.size())
            break;
        std::size_t first = k >= std::size_t(context) ? k - std::size_t(context) : 0;
        while (first < k && edits[first].kind != u' ')
            ++first;
        std::size_t last = k;
        std::size_t kept = 0;
        for (std::size_t x = k; x < edits.size(); ++x) {
            if (edits[x].kind == u' ') {
                if (++kept > std::size_t(2 * context))
                    break;
            } else {
                kept = 0;
                last = x;
            }
        }
        const std::size_t end = std::min(edits.size(), last + 1 + std::size_t(context));

        // Lines of each file before the hunk: where it starts, also when one side is empty.
        int oldStart = 0;
        int newStart = 0;
        for (std::size_t x = 0; x < first; ++x) {
            oldStart += edits[x].kind != u'+';
            newStart += edits[x].kind != u'-';
        }
        int oldCount = 0;
        int newCount = 0;
        QString body;
        for (std::size_t x = first; x < end; ++x) {
            const Edit &edit = edits[x];
            const Line &line = edit.kind == u'+' ? b[std::size_t(edit.newIndex)] : a[std::size_t(edit.oldIndex)];
            oldCount += edit.kind != u'+';
            newCount += edit.kind != u'-';
            body += QChar(edit.kind) + line.text + u'\n';
            if (!line.newlineAtEnd)
                body += u"\\ No newline at end of file\n"_s;
        }
        out += u"@@ -%1 +%2 @@\n"_s.arg(range(oldStart, oldCount), range(newStart, newCount)) + body;
        k = end;
    }
    return out;
}

} // namespace boo

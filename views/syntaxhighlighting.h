#pragma once

#include <QString>

class QSyntaxHighlighter;
class QTextDocument;

namespace boo {

// Which engine highlights code in this build: "KSyntaxHighlighting" or "built-in".
QString syntaxHighlightingEngine();

// Attaches a highlighter for `language` ("JSON", "YAML", ...) to the document. With
// KSyntaxHighlighting every language it knows works; the built-in fallback knows JSON and
// leaves other languages plain. Returns nullptr when the text stays plain.
QSyntaxHighlighter *attachHighlighter(QTextDocument *document, const QString &language);

} // namespace boo

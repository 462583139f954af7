#include "views/syntaxhighlighting.h"

#include "views/jsonhighlighter.h"

#if BOO_HAVE_KSYNTAXHIGHLIGHTING
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/SyntaxHighlighter>
#include <KSyntaxHighlighting/Theme>
#include <QGuiApplication>
#include <QPalette>
#endif

using namespace Qt::StringLiterals;

namespace boo {

QString syntaxHighlightingEngine()
{
#if BOO_HAVE_KSYNTAXHIGHLIGHTING
    return u"KSyntaxHighlighting"_s;
#else
    return u"built-in"_s;
#endif
}

QSyntaxHighlighter *attachHighlighter(QTextDocument *document, const QString &language)
{
#if BOO_HAVE_KSYNTAXHIGHLIGHTING
    static KSyntaxHighlighting::Repository repository;
    const auto definition = repository.definitionForName(language);
    if (definition.isValid()) {
        auto *highlighter = new KSyntaxHighlighting::SyntaxHighlighter(document);
        const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
        highlighter->setTheme(
            repository.defaultTheme(dark ? KSyntaxHighlighting::Repository::DarkTheme : KSyntaxHighlighting::Repository::LightTheme));
        highlighter->setDefinition(definition);
        return highlighter;
    }
#endif
    if (language.compare(u"JSON"_s, Qt::CaseInsensitive) == 0)
        return new JsonHighlighter(document);
    return nullptr;
}

} // namespace boo

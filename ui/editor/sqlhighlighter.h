#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

class QPlainTextEdit;

namespace pw {

// Highlights the `sql` of a sql task in the inspector: keywords, strings ('…', $$…$$ and
// $tag$…$tag$ bodies, across lines), quoted identifiers, comments (-- and /* … */), numbers,
// bound parameters (:date, the way SQL refers to parameters) and, marked as errors, `{{…}}`
// templates (templates are not allowed in SQL: a validation error names the bound form).
// Colours follow Theme::current() (light or dark), also when the theme changes while the editor
// is open. Main thread only.
class SqlHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    enum class Kind { Keyword, String, Identifier, Comment, Number, Parameter, Template };

    // Highlights `edit`'s document; owned by `edit`.
    explicit SqlHighlighter(QPlainTextEdit *edit);

    // The format of `kind` (tests compare against it).
    QTextCharFormat format(Kind kind) const;

protected:
    void highlightBlock(const QString &text) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateFormats();

    // Block states: -1/0 plain; 1 inside /* */; 2 inside '…'; 3 + n inside the n-th dollar tag
    // seen (m_tags), so $tag$ bodies continue across lines.
    QTextCharFormat m_formats[7];
    QStringList m_tags;
};

} // namespace pw

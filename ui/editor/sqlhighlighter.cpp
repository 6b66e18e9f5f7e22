#include "sqlhighlighter.h"

#include "theme.h"

#include <QEvent>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QSet>

namespace pw {

namespace {

constexpr int kPlain = 0;
constexpr int kBlockComment = 1;
constexpr int kString = 2;
constexpr int kDollarBase = 3;

const QSet<QString> &keywords()
{
    static const QSet<QString> words = [] {
        QSet<QString> s;
        for (const char *w : {"add", "all", "alter", "and", "as", "asc", "begin", "between", "by",
                 "case", "cast", "coalesce", "commit", "conflict", "create", "cross", "default",
                 "delete", "desc", "distinct", "do", "drop", "else", "end", "exists", "false",
                 "from", "full", "function", "group", "having", "if", "ilike", "in", "index",
                 "inner", "insert", "interval", "into", "is", "join", "key", "left", "like",
                 "limit", "not", "nothing", "null", "offset", "on", "or", "order", "outer", "over",
                 "partition", "primary", "recursive", "references", "replace", "returning", "right",
                 "rollback", "select", "set", "table", "then", "true", "truncate", "union",
                 "unique", "update", "using", "values", "view", "when", "where", "with"})
            s.insert(QLatin1String(w));
        return s;
    }();
    return words;
}

bool isIdentChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

} // namespace

SqlHighlighter::SqlHighlighter(QPlainTextEdit *edit) : QSyntaxHighlighter(edit->document())
{
    setParent(edit);
    edit->installEventFilter(this);
    updateFormats();
}

bool SqlHighlighter::eventFilter(QObject *watched, QEvent *event)
{
    // Theme::apply() sets the style, then the palette (a hidden editor gets only the first).
    const QEvent::Type type = event->type();
    if (type == QEvent::StyleChange || type == QEvent::PaletteChange
        || type == QEvent::ApplicationPaletteChange) {
        updateFormats();
        rehighlight();
    }
    return QSyntaxHighlighter::eventFilter(watched, event);
}

void SqlHighlighter::updateFormats()
{
    const Theme &t = Theme::current();
    auto make = [](QColor colour, bool bold = false, bool italic = false) {
        QTextCharFormat f;
        f.setForeground(colour);
        if (bold)
            f.setFontWeight(QFont::Bold);
        f.setFontItalic(italic);
        return f;
    };
    const bool dark = t.dark;
    m_formats[int(Kind::Keyword)]
        = make(dark ? QColor(0x82, 0xaa, 0xff) : QColor(0x1a, 0x4f, 0xa8), true);
    m_formats[int(Kind::String)] = make(dark ? QColor(0xc3, 0xe8, 0x8d) : QColor(0x2e, 0x7d, 0x32));
    m_formats[int(Kind::Identifier)]
        = make(dark ? QColor(0xff, 0xcb, 0x6b) : QColor(0x8d, 0x5b, 0x00));
    m_formats[int(Kind::Comment)] = make(t.mutedText, false, true);
    m_formats[int(Kind::Number)] = make(dark ? QColor(0xf7, 0x8c, 0x6c) : QColor(0xad, 0x3c, 0x00));
    m_formats[int(Kind::Parameter)]
        = make(dark ? QColor(0xc7, 0x92, 0xea) : QColor(0x7b, 0x1f, 0xa2), true);
    QTextCharFormat templ = make(t.invalid, true);
    templ.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    templ.setUnderlineColor(t.invalid);
    templ.setToolTip(tr("Templates are not allowed in SQL: refer to parameters as bound :name"));
    m_formats[int(Kind::Template)] = templ;
}

QTextCharFormat SqlHighlighter::format(Kind kind) const
{
    return m_formats[int(kind)];
}

void SqlHighlighter::highlightBlock(const QString &text)
{
    const qsizetype n = text.size();
    qsizetype i = 0;
    int state = qMax(previousBlockState(), kPlain);
    setCurrentBlockState(kPlain);

    // Continues the construct `state` from `from`: formats up to its end and returns true, or,
    // when the line ends inside it, formats the rest and carries the state to the next line.
    auto closeFrom = [&](qsizetype from) -> bool {
        qsizetype end = -1;
        Kind kind = Kind::String;
        if (state == kBlockComment) {
            kind = Kind::Comment;
            end = text.indexOf(QLatin1String("*/"), from);
            if (end >= 0)
                end += 2;
        } else if (state == kString) {
            for (qsizetype j = from; j < n; ++j) {
                if (text.at(j) != QLatin1Char('\''))
                    continue;
                if (j + 1 < n && text.at(j + 1) == QLatin1Char('\'')) {
                    ++j; // '' is an escaped quote
                    continue;
                }
                end = j + 1;
                break;
            }
        } else {
            const QString &tag = m_tags.at(state - kDollarBase);
            end = text.indexOf(tag, from);
            if (end >= 0)
                end += tag.size();
        }
        const qsizetype stop = end < 0 ? n : end;
        setFormat(int(from), int(stop - from), m_formats[int(kind)]);
        i = stop;
        if (end < 0) {
            setCurrentBlockState(state);
            return false;
        }
        state = kPlain;
        return true;
    };

    if (state != kPlain && !closeFrom(0))
        return;

    while (i < n) {
        const QChar c = text.at(i);
        const QChar next = i + 1 < n ? text.at(i + 1) : QChar();
        if (c == QLatin1Char('-') && next == QLatin1Char('-')) {
            setFormat(int(i), int(n - i), m_formats[int(Kind::Comment)]);
            return;
        }
        if (c == QLatin1Char('/') && next == QLatin1Char('*')) {
            state = kBlockComment;
            setFormat(int(i), 2, m_formats[int(Kind::Comment)]);
            if (!closeFrom(i + 2))
                return;
            continue;
        }
        if (c == QLatin1Char('\'')) {
            state = kString;
            setFormat(int(i), 1, m_formats[int(Kind::String)]);
            if (!closeFrom(i + 1))
                return;
            continue;
        }
        if (c == QLatin1Char('"')) {
            const qsizetype end = text.indexOf(QLatin1Char('"'), i + 1);
            const qsizetype stop = end < 0 ? n : end + 1;
            setFormat(int(i), int(stop - i), m_formats[int(Kind::Identifier)]);
            i = stop;
            continue;
        }
        if (c == QLatin1Char('$')) {
            static const QRegularExpression tagRe(QStringLiteral("\\G\\$[A-Za-z_]*\\$"));
            const auto m = tagRe.match(text, i);
            if (m.hasMatch()) {
                const QString tag = m.captured();
                qsizetype index = m_tags.indexOf(tag);
                if (index < 0) {
                    m_tags << tag;
                    index = m_tags.size() - 1;
                }
                state = kDollarBase + int(index);
                setFormat(int(i), int(tag.size()), m_formats[int(Kind::String)]);
                if (!closeFrom(i + tag.size()))
                    return;
                continue;
            }
        }
        if (c == QLatin1Char('{') && next == QLatin1Char('{')) {
            const qsizetype end = text.indexOf(QLatin1String("}}"), i + 2);
            const qsizetype stop = end < 0 ? n : end + 2;
            setFormat(int(i), int(stop - i), m_formats[int(Kind::Template)]);
            i = stop;
            continue;
        }
        if (c == QLatin1Char(':') && next != QLatin1Char(':')
            && (next.isLetter() || next == QLatin1Char('_'))
            && (i == 0 || text.at(i - 1) != QLatin1Char(':'))) {
            qsizetype j = i + 1;
            while (j < n && isIdentChar(text.at(j)))
                ++j;
            setFormat(int(i), int(j - i), m_formats[int(Kind::Parameter)]);
            i = j;
            continue;
        }
        if (c.isDigit() && (i == 0 || !isIdentChar(text.at(i - 1)))) {
            qsizetype j = i;
            while (j < n && (text.at(j).isDigit() || text.at(j) == QLatin1Char('.')))
                ++j;
            setFormat(int(i), int(j - i), m_formats[int(Kind::Number)]);
            i = j;
            continue;
        }
        if (c.isLetter() || c == QLatin1Char('_')) {
            qsizetype j = i;
            while (j < n && isIdentChar(text.at(j)))
                ++j;
            if (keywords().contains(text.mid(i, j - i).toLower()))
                setFormat(int(i), int(j - i), m_formats[int(Kind::Keyword)]);
            i = j;
            continue;
        }
        ++i;
    }
}

} // namespace pw

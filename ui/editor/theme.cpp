#include "theme.h"

#include <QApplication>
#include <QFile>
#include <QPainter>
#include <QStyleFactory>
#include <QSvgRenderer>

namespace pw {

namespace {
Theme g_current = Theme::light();
}

Theme Theme::light()
{
    Theme t;
    t.dark = false;
    t.canvas = QColor(0xFA, 0xFA, 0xFA);
    t.gridDot = QColor(0xD6, 0xD6, 0xD6);
    t.nodeFill = QColor(0xFF, 0xFF, 0xFF);
    t.nodeHeader = QColor(0xF3, 0xF5, 0xF7);
    t.nodeBorder = QColor(0xC4, 0xC9, 0xD0);
    t.text = QColor(0x1F, 0x23, 0x28);
    t.mutedText = QColor(0x6B, 0x73, 0x7D);
    t.accent = QColor(0x00, 0x72, 0xB2);
    t.edge = QColor(0x8A, 0x93, 0x9E);
    t.invalid = QColor(0xD5, 0x5E, 0x00);
    t.port = QColor(0x8A, 0x93, 0x9E);
    t.minimapFill = QColor(0xFF, 0xFF, 0xFF, 0xE6);
    return t;
}

Theme Theme::darkTheme()
{
    Theme t;
    t.dark = true;
    t.canvas = QColor(0x1E, 0x1E, 0x1E);
    t.gridDot = QColor(0x38, 0x38, 0x38);
    t.nodeFill = QColor(0x2A, 0x2D, 0x31);
    t.nodeHeader = QColor(0x32, 0x36, 0x3B);
    t.nodeBorder = QColor(0x4A, 0x50, 0x57);
    t.text = QColor(0xE6, 0xE8, 0xEA);
    t.mutedText = QColor(0x9A, 0xA3, 0xAD);
    t.accent = QColor(0x56, 0xB4, 0xE9);
    t.edge = QColor(0x7D, 0x86, 0x90);
    t.invalid = QColor(0xF0, 0x7A, 0x2A);
    t.port = QColor(0x8A, 0x93, 0x9E);
    t.minimapFill = QColor(0x25, 0x27, 0x2A, 0xE6);
    return t;
}

const Theme &Theme::current()
{
    return g_current;
}

QIcon Theme::icon(const QString &name)
{
    QFile f(QStringLiteral(":/icons/%1.svg").arg(name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QByteArray svg = f.readAll();
    if (g_current.dark)
        svg.replace("#5F6B7A", "#B4BDC7");
    QSvgRenderer renderer(svg);
    QIcon icon;
    for (int size : {16, 20, 24, 32, 40, 48}) {
        for (QIcon::Mode mode : {QIcon::Normal, QIcon::Disabled}) {
            QPixmap pm(size, size);
            pm.fill(Qt::transparent);
            QPainter p(&pm);
            // Disabled: faded well below the enabled grey (the style's own greying is hard to
            // tell from it on the dark theme).
            if (mode == QIcon::Disabled)
                p.setOpacity(0.3);
            renderer.render(&p);
            p.end();
            icon.addPixmap(pm, mode);
        }
    }
    return icon;
}

QPalette Theme::palette(bool dark)
{
    if (!dark) {
        QPalette p;
        p.setColor(QPalette::Window, QColor(0xF3, 0xF4, 0xF6));
        p.setColor(QPalette::WindowText, QColor(0x1F, 0x23, 0x28));
        p.setColor(QPalette::Base, QColor(0xFF, 0xFF, 0xFF));
        p.setColor(QPalette::AlternateBase, QColor(0xF6, 0xF7, 0xF9));
        p.setColor(QPalette::ToolTipBase, QColor(0xFF, 0xFF, 0xFF));
        p.setColor(QPalette::ToolTipText, QColor(0x1F, 0x23, 0x28));
        p.setColor(QPalette::PlaceholderText, QColor(0x8A, 0x93, 0x9E));
        p.setColor(QPalette::Text, QColor(0x1F, 0x23, 0x28));
        p.setColor(QPalette::Button, QColor(0xF3, 0xF4, 0xF6));
        p.setColor(QPalette::ButtonText, QColor(0x1F, 0x23, 0x28));
        p.setColor(QPalette::BrightText, Qt::white);
        p.setColor(QPalette::Light, Qt::white);
        p.setColor(QPalette::Midlight, QColor(0xE4, 0xE6, 0xE9));
        p.setColor(QPalette::Mid, QColor(0xC4, 0xC9, 0xD0));
        p.setColor(QPalette::Dark, QColor(0x9A, 0xA3, 0xAD));
        p.setColor(QPalette::Shadow, QColor(0x6B, 0x73, 0x7D));
        p.setColor(QPalette::Highlight, QColor(0x00, 0x72, 0xB2));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::Link, QColor(0x00, 0x72, 0xB2));
        p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x9A, 0xA3, 0xAD));
        p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x9A, 0xA3, 0xAD));
        p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x9A, 0xA3, 0xAD));
        return p;
    }
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x26, 0x28, 0x2B));
    p.setColor(QPalette::WindowText, QColor(0xE6, 0xE8, 0xEA));
    p.setColor(QPalette::Base, QColor(0x1E, 0x1F, 0x22));
    p.setColor(QPalette::AlternateBase, QColor(0x2A, 0x2C, 0x30));
    p.setColor(QPalette::ToolTipBase, QColor(0x32, 0x36, 0x3B));
    p.setColor(QPalette::ToolTipText, QColor(0xE6, 0xE8, 0xEA));
    p.setColor(QPalette::PlaceholderText, QColor(0x7D, 0x86, 0x90));
    p.setColor(QPalette::Text, QColor(0xE6, 0xE8, 0xEA));
    p.setColor(QPalette::Button, QColor(0x30, 0x33, 0x37));
    p.setColor(QPalette::ButtonText, QColor(0xE6, 0xE8, 0xEA));
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Light, QColor(0x44, 0x48, 0x4E));
    p.setColor(QPalette::Midlight, QColor(0x3A, 0x3E, 0x43));
    p.setColor(QPalette::Mid, QColor(0x2E, 0x31, 0x35));
    p.setColor(QPalette::Dark, QColor(0x1A, 0x1B, 0x1D));
    p.setColor(QPalette::Shadow, QColor(0x0F, 0x10, 0x11));
    p.setColor(QPalette::Highlight, QColor(0x1F, 0x6F, 0xA8));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x56, 0xB4, 0xE9));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6B, 0x73, 0x7D));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6B, 0x73, 0x7D));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6B, 0x73, 0x7D));
    return p;
}

void Theme::apply(QApplication &app, bool dark)
{
    g_current = dark ? darkTheme() : light(); // first: widgets read it on the palette change
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    app.setPalette(palette(dark));
}

} // namespace pw

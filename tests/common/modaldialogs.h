#pragma once

// Answering modal dialogs in UI tests, as the operator would: the dialog opens inside the call
// under test (exec() runs its own event loop), so a timer polls for it and answers it.

#include <QApplication>
#include <QDialog>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>

#include <functional>

namespace pw::test {

// Answers the next modal dialog of type D (polled, so it may open later in the same call):
// `answer` returns false to be called again on the next poll (the dialog is not ready).
template<typename D>
inline void whenShown(std::function<bool(D *)> answer, bool *answered)
{
    auto *timer = new QTimer(qApp);
    timer->setInterval(10);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, answer, answered] {
        auto *dialog = qobject_cast<D *>(QApplication::activeModalWidget());
        if (dialog && answer(dialog)) {
            timer->stop();
            timer->deleteLater();
            *answered = true;
        }
    });
    timer->start();
    // Not answered in time: close what is open, so the test fails instead of hanging.
    QTimer::singleShot(5000, timer, [timer] {
        if (auto *open = qobject_cast<QDialog *>(QApplication::activeModalWidget()))
            open->reject();
        timer->deleteLater();
    });
}

// Presses `button` of the next QMessageBox.
inline void pressButton(QMessageBox::StandardButton button, bool *answered)
{
    whenShown<QMessageBox>(
        [button](QMessageBox *box) {
            box->button(button)->click();
            return true;
        },
        answered);
}
} // namespace pw::test

/* web_msgs.c: the page's refusals in both languages (web_msgs.h). */
#include "web_msgs.h"

#include "cgi.h"
#include "err.h"
#include "query.h"

#include <string.h>

const char *ns_web_param_text(int bad, const char *ui)
{
    int ru = strcmp(ui, "ru") == 0;
    switch (bad) {
    case NS_CGI_BAD_QS_LONG:
        return ru ? "Запрос слишком длинный (больше 4096 байт)."
                  : "The request is too long (more than 4096 bytes).";
    case NS_CGI_BAD_TOO_MANY:
        return ru ? "В запросе слишком много параметров (больше 32)."
                  : "The request has too many parameters (more than 32).";
    case NS_CGI_BAD_ESCAPE:
        return ru ? "В запросе неверная %-кодировка (например, %zz)."
                  : "The request contains an invalid percent-encoding (such as %zz).";
    case NS_CGI_BAD_UTF8:
        return ru ? "Запрос не является корректным текстом в UTF-8."
                  : "The request is not valid UTF-8 text.";
    case NS_CGI_BAD_Q_LONG:
        return ru ? "Поисковый запрос слишком длинный (больше 512 символов)."
                  : "The search query is too long (more than 512 characters).";
    case NS_CGI_BAD_VALUE_LONG:
        return ru ? "Значение параметра слишком длинное (больше 128 байт)."
                  : "A parameter value is too long (more than 128 bytes).";
    case NS_CGI_BAD_MONTH:
        return ru ? "Месяц «%s» должен быть в виде ГГГГ-ММ или ГГГГ-ММ..ГГГГ-ММ."
                  : "Month “%s” must be YYYY-MM or YYYY-MM..YYYY-MM.";
    case NS_CGI_BAD_LANG:
        return ru ? "Язык «%s» должен быть en или ru." : "Language “%s” must be en or ru.";
    case NS_CGI_BAD_CROSS:
        return ru ? "Параметр cross «%s» должен быть 0 или 1." : "Cross “%s” must be 0 or 1.";
    case NS_CGI_BAD_SORT:
        return ru ? "Сортировка «%s» должна быть relevance или date."
                  : "Sort order “%s” must be relevance or date.";
    case NS_CGI_BAD_PAGE:
        return ru ? "Страница «%s» должна быть числом от 1 до 100."
                  : "Page “%s” must be a number from 1 to 100.";
    case NS_CGI_BAD_FORMAT:
        return ru ? "Формат «%s» должен быть html или json." : "Format “%s” must be html or json.";
    }
    return "?";
}

const char *ns_web_refusal_text(const char *ui, int code, int reason)
{
    int ru = strcmp(ui, "ru") == 0;
    switch (reason) {
    case NS_QERR_TOO_MANY_TERMS:
        return ru ? "В запросе слишком много слов (больше 1000 вместе с частями слов и "
                    "фильтрами). Сократите его."
                  : "The query has too many words (more than 1,000, counting parts of words "
                    "and filters). Shorten it.";
    case NS_QERR_PREFIX_SHORT:
        return ru ? "Введите хотя бы две буквы перед *."
                  : "Type at least two letters before *.";
    case NS_QERR_MONTH:
        return ru ? "Месяц пишется как ГГГГ-ММ, например month:2020-10, или диапазоном: "
                    "month:2020-01..2020-06."
                  : "Write a month as YYYY-MM, for example month:2020-10, or a range: "
                    "month:2020-01..2020-06.";
    case NS_QERR_MONTH_RANGE:
        return ru ? "Диапазон месяцев кончается раньше, чем начинается: сначала ранний месяц, "
                    "например month:2020-01..2020-06."
                  : "The range of months ends before it starts: put the earlier month first, "
                    "for example month:2020-01..2020-06.";
    case NS_QERR_LANG:
        return ru ? "Язык может быть только en или ru, например lang:ru."
                  : "The language can only be en or ru, for example lang:ru.";
    case NS_QERR_VENDOR_EMPTY:
        return ru ? "После vendor: напишите название компании, например vendor:Google."
                  : "Write a company's name after vendor:, for example vendor:Google.";
    case NS_QERR_NEGATED_FILTER:
        return ru ? "Фильтр vendor:, month: или lang: нельзя исключить минусом: уберите «-» "
                    "перед ним."
                  : "A vendor:, month: or lang: filter cannot be excluded: remove the “-” "
                    "before it.";
    }
    if (code == NS_ETOOBIG || code == NS_ETERM)
        return ru ? "В запросе слишком длинное слово." : "The query has a word that is too long.";
    if (code == NS_EUTF8)
        return ru ? "Запрос не является корректным текстом в UTF-8."
                  : "The query is not valid UTF-8 text.";
    return ru ? "Не удалось разобрать запрос." : "The query could not be understood.";
}

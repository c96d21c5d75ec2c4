welcome-customer = Здравствуйте, { $name }! Напишите, что вам нужно, — менеджер ответит здесь же.
welcome-staff = { $name }, вы в системе. Роли: { $roles }. Команды: /help
staff-linked = Готово, { $name }: ваш Telegram привязан к учетной записи. Команды: /help
invite-invalid = Код приглашения не подошел: он неверный, уже использован или истек. Попросите администратора выдать новый.
invite-taken = Этот Telegram уже привязан к другой учетной записи.
customer-ack = Спасибо, сообщение получено. Менеджер скоро ответит.
customer-file-ack = Файл «{ $name }» получен, спасибо.
staff-help =
    Команды:
    /leads — заявки: новые и ваши
    /deals — сделки: мои, по стадиям, просроченные
    /find текст — поиск по имени, телефону или номеру (можно просто написать текст)
    /remind завтра в 10 перезвонить Иванову — напоминание себе
    /tasks — мои задачи: просроченные, на сегодня, на неделю
    /newcontact — новый контакт
    /newcompany — новая компания
    /cancel — отменить текущее действие
    /help — эта справка
    Чтобы ответить клиенту, ответьте на его пересланное сообщение.
unknown-command = Такой команды нет. { staff-help }
error-generic = Что-то пошло не так. Сообщение сохранено, мы разберемся. Попробуйте еще раз чуть позже.

## Requests from customers
lead-title-from-chat = Обращение из { $channel }: { $name }
channel-telegram = Telegram
channel-whatsapp = WhatsApp
intake-start = Здравствуйте! Ваша заявка № { $number } зарегистрирована. Ответьте, пожалуйста, на несколько вопросов.
intake-done = Спасибо! Заявка № { $number } принята. Менеджер свяжется с вами здесь же.

## Asking values in flows
ask-yes = Да
ask-no = Нет
ask-skip = Пропустить
ask-cancel = Отмена
ask-skip-by-dash = (если не хотите отвечать, отправьте «-»)
ask-hint-string = Напишите ответ текстом.
ask-hint-number = Нужно число, например 120 или 12,5.
ask-hint-money = Нужна сумма в рублях, например 1 250 000.
ask-hint-date = Нужна дата, например 25.12.2026, 25.12 или «завтра».
ask-hint-enum = Выберите один из вариантов.
ask-hint-enum-or-text = Выберите вариант или напишите свой.
ask-hint-boolean = Ответьте «да» или «нет».
ask-hint-file = Пришлите файл (документ или фото).

## Notices to staff
notice-new-lead = 🆕 Новая заявка № { $number }
notice-task-due = ⏰ Напоминание: { $title } (задача № { $number })
notice-undelivered = ⚠️ Ваш ответ клиенту в { $channel } не доставлен.
undelivered-window = Прошло больше 24 часов с последнего сообщения клиента, и WhatsApp пропускает только шаблоны. Дождитесь, когда клиент напишет снова, и ответьте ещё раз, или свяжитесь с ним иначе.
undelivered-unreachable = Клиент недоступен: он заблокировал бота, удалил аккаунт или не может получать сообщения.
undelivered-other = Платформа не приняла сообщение: { $message }
undelivered-unknown = Платформа сообщила, что сообщение не доставлено, не назвав причину.
undelivered-text = Ваш ответ:
btn-take = Взять в работу
btn-open = Открыть
btn-card = Карточка
btn-answer = Ответить
btn-task-done = Выполнено
card-source = Источник: { $source }
card-contact = Клиент: { $name }
card-file = файл
relay-lead = заявка № { $number }
relay-deal = сделка № { $number }
relay-head = 💬 { $name } · { $what } · { $channel }:
relay-file = 📎 Файл: { $name }
relay-hint = Чтобы ответить клиенту, ответьте на это сообщение (свайп влево) или нажмите «Ответить».

## Cards
card-lead-head = 📋 Заявка № { $number } · { $status }
card-deal-head = 💼 Сделка № { $number } · { $pipeline }
card-contact-head = 👤 Контакт № { $number } · { $name }
card-stage = Стадия: { $stage } ({ $at } из { $of })
card-amount = Сумма: { $amount }
card-company = Компания: { $name }
card-responsible = Ответственный: { $name }
card-observers = Наблюдатели: { $names }
card-nobody = не назначен
card-comment = Комментарий: { $text }
card-reason = Причина: { $text }
card-converted = Переведена в сделку № { $number }
card-phone = Телефон: { $phone }
card-email = E-mail: { $email }
card-position = Должность: { $position }
card-tags = Метки: { $tags }
card-latest = Последнее:
card-changed-meanwhile = Карточку № { $number } за это время изменили, ничего не записано. Вот как она выглядит сейчас:
tl-in = клиент
tl-out = ответ клиенту
tl-comment = комментарий
tl-stage = стадия: { $from } → { $to }
tl-change = изменены поля
tl-system = событие: { $event }
btn-next-stage = ▶ { $stage }
btn-choose-stage = Стадия…
btn-won = ✅ Успешно
btn-lost = ❌ Отказ
btn-comment = 💬 Комментарий
btn-remind = ⏰ Напомнить
btn-file = 📎 Файл
btn-edit-field = ✏️ Поле
btn-observers = 👁 Наблюдатели
btn-responsible = 👤 Ответственный
btn-answer-client = ↩️ Ответить клиенту
btn-refresh = 🔄 Обновить
btn-convert = ➡️ В сделку
btn-status = Статус…
btn-open-deal = Открыть сделку № { $number }
btn-make-company = 🏢 Сделать компанией
btn-done = Готово
button-stale = Эта кнопка уже не действует.
button-unknown = Неизвестное действие.
stage-choose = Сделка № { $number } сейчас на стадии «{ $stage }». Куда перевести?
std-field-title = Название
std-field-amount = Сумма
std-field-comment = Комментарий
std-field-contact = Клиент
std-field-company = Компания
std-field-responsible = Ответственный
std-field-firstName = Имя
std-field-lastName = Фамилия
std-field-middleName = Отчество
std-field-phone = Телефон
std-field-email = E-mail
std-field-position = Должность

## Stage moves
move-needs = Для стадии «{ $stage }» нужно заполнить: { $count }. Отвечайте по одному; «Отмена» оставит сделку как есть.
move-needs-card-fields = Для стадии «{ $stage }» в карточке нужно сначала указать: { $fields }.
move-ask-string = { $label }: напишите значение.
move-ask-number = { $label }: введите число.
move-ask-money = { $label }: введите сумму в рублях.
move-ask-date = { $label }: введите дату (например, 25.12.2026 или «завтра»).
move-ask-enum = { $label }: выберите вариант.
move-ask-boolean = { $label }?
move-ask-file = { $label }: пришлите файл (документ или фото).
move-ask-reason = { $label }: выберите причину или напишите свою.
move-cancelled = Отменено. Сделка № { $number } не изменилась.
move-done = Сделка № { $number } переведена на стадию «{ $stage }».
move-won = 🎉 Сделка № { $number } успешно закрыта («{ $stage }»).
move-lost = Сделка № { $number } закрыта как проигранная («{ $stage }»).

## Flows
flow-cancelled = Отменено, ничего не изменено.
nothing-to-cancel = Сейчас нечего отменять.
comment-ask = Напишите комментарий.
comment-saved = Комментарий сохранен.
remind-ask = Что и когда напомнить? Например: «завтра в 10 перезвонить Иванову», «через 2 часа проверить оплату», «25.11 в 15:00 отправить КП».
remind-ask-card = Когда напомнить и о чем? Например: «завтра в 10 отправить КП», «в пятницу после обеда», «через 2 часа». Без текста напомню «Связаться с клиентом».
remind-ask-time = Когда напомнить о задаче № { $number }? Например: «завтра в 10», «через 2 часа», «в пятницу после обеда», «25.11 в 15:00».
remind-ask-what = Что напомнить { $when }?
remind-bad-title = Напишите, что сделать, обычным текстом до { $max } знаков.
remind-default-title = Связаться с клиентом
remind-set = ⏰ Напомню { $when }: { $title } (задача № { $number }).
remind-past = Понял «{ $matched }» как { $when }, а это время уже прошло. Ничего не создано.
remind-no-time = Не понял, когда напомнить: в «{ $text }» нет даты или времени. Ничего не создано.
remind-empty = Напишите, что и когда напомнить.
remind-too-long = Слишком длинное сообщение для напоминания (больше { $max } знаков). Ничего не создано.
remind-title-too-long = Текст напоминания длиннее { $max } знаков, сократите его. Ничего не создано.
remind-bad-characters = В сообщении есть служебные символы (например, NUL), их нельзя сохранить. Напишите обычным текстом. Ничего не создано.
remind-again = Напишите еще раз, например: «завтра в 10 перезвонить Иванову», «через 2 часа», «в пятницу после обеда», «25.11 в 15:00», «к концу дня». Или нажмите «Отмена».
remind-usage = Например: /remind завтра в 10 перезвонить Иванову
remind-text-only = Напишите время текстом, например «завтра в 10», или нажмите «Отмена».
remind-not-yours = Это напоминание не ваше: задача № { $number } у другого сотрудника. Ничего не изменено.
remind-was-done = Задача № { $number } уже выполнена. Ничего не изменено.
remind-was-cancelled = Задача № { $number } отменена. Ничего не изменено.
remind-stale = Это сообщение устарело: задача № { $number } теперь на { $when }. Ничего не изменено.
remind-passed-meanwhile = Пока мы говорили, { $when } уже наступило. Ничего не создано: начните заново с /remind.
remind-target-past = Это время уже прошло. Ничего не изменено.
remind-cancelled = Напоминание отменено: { $title } (задача № { $number }).
remind-snoozed = ⏳ Отложено до { $when }: { $title } (задача № { $number }).
remind-snoozed-toast = Отложено до { $when }
task-done-toast = Выполнено
btn-remind-plus-hour = +1 час
btn-remind-tomorrow = Завтра 09:00
btn-remind-other-time = Другое время
btn-remind-cancel = Отменить
btn-snooze-15m = ⏳ 15 мин
btn-snooze-1h = ⏳ 1 час
task-head = 📌 Задача № { $number }: { $title }
task-due = Срок: { $when }
tasks-no-due = без срока
tasks-overdue-mark = (просрочено)
tasks-head = 📋 Ваши задачи. Сегодня { $today }.
tasks-none = Открытых задач на сегодня и ближайшую неделю нет.
tasks-overdue = ⚠️ Просрочено: { $count }
tasks-today = 🕐 На сегодня: { $count }
tasks-upcoming = 📅 На 7 дней вперед: { $count }
tasks-some-shown = Показаны не все: до 15 в каждом разделе, просроченные — последние.
tasks-later = позже: { $count }
tasks-undated = без срока: { $count }
file-ask-slot = Куда положить файл?
file-history-only = Только в историю
file-ask = Пришлите файл (документ или фото).
file-saved = Файл «{ $name }» сохранен.
edit-ask-field = Какое поле изменить?
edit-saved = Поле «{ $field }» сохранено.
assign-ask = Кого назначить ответственным?
assign-done = Ответственный: { $name }.
observers-ask = Отметьте наблюдателей и нажмите «Готово».
observers-done = Наблюдателей: { $count }.
pick-use-buttons = Выберите кнопкой ниже.
answer-ask = Напишите ответ клиенту или пришлите документ или фото — он уйдет от имени компании.
answer-sent = Отправлено клиенту в { $channel }.
answer-no-chat = У этого клиента нет переписки с компанией: ответить в мессенджер некуда.
answer-text-or-file = Клиенту можно ответить текстом, документом или фото.
answer-file-other-channel = Этот клиент пишет в { $channel }: туда файл из Telegram не отправить. Ответьте текстом (ссылку на файл можно вставить в текст).
convert-ask-payer = Кто платит?
convert-payer-person = Частное лицо
convert-payer-company = Компания (юрлицо)
convert-ask-company = Название компании-плательщика?
convert-ask-inn = ИНН (10 или 12 цифр)? Можно пропустить.
convert-bad-inn = ИНН — это 10 или 12 цифр.
convert-bad-inn-checksum = Такого ИНН не бывает: не сходится контрольная цифра. Проверьте номер.
convert-ask-contact = Как зовут клиента?
convert-ask-amount = Сумма сделки, если уже известна?
convert-done = Заявка № { $lead } переведена в сделку № { $deal }.
convert-done-company = Заявка № { $lead } переведена в сделку № { $deal }, плательщик — компания № { $company }.
convert-already = Эта заявка уже переведена в сделку № { $number }.
status-ask = Какой статус поставить?
status-ask-reason = Причина? Выберите или напишите свою.
status-ask-callback = Когда предложить снова? Дата — будет задача перезвонить; или «Пропустить».
status-callback-title = Перезвонить клиенту с повторным предложением (заявка № { $number })
status-set = Заявка № { $number }: статус «{ $status }».
status-declined = Заявка № { $number } закрыта: клиент отказался. Клиент сохранен в контактах (№ { $contact }).
status-declined-callback = Заявка № { $number } закрыта: клиент отказался. Клиент сохранен в контактах (№ { $contact }), { $day } придет напоминание перезвонить.
contact-ask-name = Фамилия, имя и отчество клиента?
contact-ask-phone = Телефон? Можно пропустить.
contact-bad-phone = Это не похоже на телефон. Напишите номер, например +7 916 123-45-67.
contact-created = Контакт № { $number } создан.
company-ask-name = Название компании?
company-created = Компания № { $number } «{ $name }» создана.
company-from-contact = Создана компания № { $number } «{ $name }», контакт привязан к ней.
lead-taken = Заявка № { $number } теперь ваша.
lead-taken-toast = Заявка ваша
task-done = Задача «{ $title }» выполнена.

## Lists and search
leads-list = Заявки ({ $count }): 🆕 — еще никем не взяты.
leads-none = Открытых заявок нет.
deals-which = Какие сделки показать?
btn-deals-mine = Мои
btn-deals-stages = По стадиям
btn-deals-overdue = Просроченные
deals-list = { $title }: { $count }
deals-none = { $title }: сделок нет.
deals-pick-stage = Выберите стадию.
find-usage = Напишите после /find имя, телефон или номер, например: /find 8 916 123-45-67
find-found = Найдено по «{ $q }»: { $count }
find-nothing = По «{ $q }» ничего не найдено. Поиск — по имени, телефону или номеру; команды: /help
inn = ИНН

## Refusals
entity-deal = сделке
entity-lead = заявке
entity-contact = контакту
entity-company = компании
entity-task = задаче
entity-record = записи
refused-no-access = Нет доступа к { $what }: она не ваша. Попросите ответственного добавить вас в наблюдатели или обратитесь к руководителю.
refused-not-found = Не нашел: { $what }.
refused-stale = Запись уже изменили: { $what }. Откройте ее заново.
refused-lead-taken = Заявку уже взял { $name }.
refused-transition-same_stage = Сделка уже на этой стадии.
refused-transition-deal_closed = Сделка закрыта; вернуть ее может только руководитель.
refused-transition-not_allowed_from = На эту стадию нельзя перейти с текущей.
refused-requirements = Не хватает данных: { $fields }.
refused-invalid = Неверное значение: { $fields }.
refused-conflict = Не получилось: { $message }
refused-observer = Вы наблюдатель по { $what }: можно читать, комментировать, добавлять файлы и ставить напоминания себе. Менять, двигать по стадиям и передавать может ответственный или руководитель.
refused-duplicate-inn = Компания с этим ИНН уже есть: № { $number } «{ $name }». Вторую карточку не создаю.
tl-responsible = сменился ответственный
tl-status = статус: { $to }
tl-event-created = создана
tl-event-converted = переведена в сделку
tl-event-intake_completed = клиент ответил на вопросы
customer-unknown-command = Такой команды нет. Просто напишите, что вам нужно, — менеджер ответит здесь же.
btn-contact = 👤 Клиент

## Staff administration (admins)
staff-access-removed = Ваш доступ к CRM компании закрыт. Если это ошибка, обратитесь к администратору.
staff-admin-only = Управлять сотрудниками может только администратор.
staff-admin-help =
    Для администратора:
    /staff — сотрудники: роли, привязанные мессенджеры; карточка каждого (роли, руководитель, язык, код приглашения, токены API, деактивация, передача записей)
    /adduser роли имя — новый сотрудник и его код приглашения, например /adduser manager,logist Анна Петрова
    /invite номер — новый код приглашения для сотрудника № номер
    /rename номер имя — изменить имя
    /department номер отдел — изменить отдел («-» очищает)
staff-role-manager = менеджер
staff-role-logist = логист
staff-role-supervisor = руководитель
staff-role-admin = администратор
staff-kind-lead = заявка
staff-kind-deal = сделка
staff-kind-task = задача
staff-kind-contact = контакт
staff-kind-company = компания
staff-active = активен
staff-inactive = деактивирован
staff-inactive-since = деактивирован { $day }
staff-list-head = Сотрудники: { $count }. ⛔ — деактивирован.
staff-supervisor-short = руководитель { $name }
staff-list-more = … и еще { $count }
staff-admin-hint = Нажмите на имя, чтобы открыть карточку. /adduser роли имя — новый сотрудник.
staff-card-head = 👤 Сотрудник № { $number } · { $name }
staff-card-roles = Роли: { $roles }
staff-card-supervisor = Руководитель: { $name }
staff-card-department = Отдел: { $name }
staff-card-language = Язык: { $lang }
staff-linked-yes = привязан
staff-linked-no = не привязан
staff-card-status = Статус: { $status }
staff-card-open = За ним: { $summary }
staff-btn-roles = Роли
staff-btn-supervisor = Руководитель
staff-btn-language = Язык ru/en
staff-btn-invite = 🔑 Код приглашения
staff-btn-tokens = Токены API
staff-btn-handover = Передать записи ({ $count })
staff-btn-deactivate = ⛔ Деактивировать
staff-btn-reactivate = ✅ Вернуть доступ
staff-btn-deactivate-yes = Да, деактивировать
staff-btn-handover-all = Передать все ({ $count })…
staff-btn-revoke = Отозвать токен № { $number }
staff-open-none = открытых записей нет
staff-open-lead = { $count } { $count ->
    [one] заявка
    [few] заявки
   *[many] заявок
}
staff-open-deal = { $count } { $count ->
    [one] сделка
    [few] сделки
   *[many] сделок
}
staff-open-task = { $count } { $count ->
    [one] задача
    [few] задачи
   *[many] задач
}
staff-open-contact = { $count } { $count ->
    [one] контакт
    [few] контакта
   *[many] контактов
}
staff-open-company = { $count } { $count ->
    [one] компания
    [few] компании
   *[many] компаний
}
staff-open-empty = За сотрудником { $name } открытых записей нет.
staff-open-head = За сотрудником { $name } остаются: { $summary }.
staff-open-hint = Передайте все одному человеку или нажмите на запись, чтобы передать ее кому-то.
staff-adduser-usage = Укажите роли и имя, например: /adduser manager Анна Петрова (роли: manager, logist, supervisor, admin; несколько — через запятую)
staff-added = Сотрудник № { $number } добавлен: { $name } ({ $roles }).
staff-invite-usage = Укажите номер сотрудника, например: /invite 12 (номера — в /staff)
staff-rename-usage = Укажите номер и новое имя, например: /rename 12 Анна Петрова
staff-department-usage = Укажите номер и отдел, например: /department 12 Продажи («-» очищает)
staff-invite-code = Код приглашения для { $name }: { $code }
    Пусть отправит боту «/start { $code }» до { $until }. Код действует один раз.
staff-roles-ask = Роли сотрудника { $name }: нажмите, чтобы добавить или убрать.
staff-roles-one-needed = Нужна хотя бы одна роль.
staff-roles-now = Роли: { $roles }
staff-supervisor-ask = Кто руководитель?
staff-supervisor-none = Никто
staff-tokens-head = Токены API:
staff-tokens-none = У сотрудника нет токенов API.
staff-token-active = № { $number } «{ $label }», выдан { $created } — действует
staff-token-revoked = № { $number } «{ $label }», выдан { $created } — отозван { $revoked }
staff-token-now-revoked = Токен № { $number } отозван: API его больше не принимает.
staff-token-was-revoked = Токен № { $number } уже был отозван.
staff-token-not-found = Токена API № { $number } нет.
staff-deactivate-confirm = Деактивировать сотрудника { $name }? Его токены API будут отозваны, разговоры с ботом завершены; новых заявок и уведомлений он не получит, а его сообщения боту больше не будут действовать как сообщения сотрудника. Его записи останутся, их можно передать.
staff-deactivated = Сотрудник { $name } деактивирован. Отозвано токенов API: { $tokens }; завершено разговоров с ботом: { $sessions }; удалено неиспользованных кодов приглашения: { $invites }.
staff-already-inactive = Сотрудник { $name } уже деактивирован.
staff-reactivated = Доступ сотруднику { $name } возвращен. Токены API остаются отозванными: при необходимости выдайте новые.
staff-handover-ask-all = Кому передать все записи?
staff-handover-ask-one = Кому передать: { $what }?
staff-handover-nothing = Ничего не передано: записи уже не за ним или закрыты.
staff-handover-done = Передано сотруднику { $name }: { $count }.
staff-handover-notice = 📥 Вам переданы записи: { $count }.
staff-refused-self_deactivation = Себя деактивировать нельзя; это может сделать другой администратор.
staff-refused-last_admin = Это последний активный администратор: сначала назначьте администратором кого-то еще.
staff-refused-inactive = Сотрудник деактивирован: сначала верните ему доступ.
staff-refused-supervisor_loop = Этот руководитель сам подчиняется сотруднику: получится замкнутый круг.
staff-refused-conflict = Не получилось.
staff-not-found = Сотрудника № { $number } нет.
staff-invalid = Неверное значение: { $issues }

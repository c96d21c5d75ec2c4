welcome-customer = Hello, { $name }! Tell us what you need; a manager will answer right here.
welcome-staff = { $name }, you are signed in. Roles: { $roles }. Commands: /help
staff-linked = Done, { $name }: your Telegram is linked to your account. Commands: /help
invite-invalid = That invite code did not work: it is wrong, used or expired. Ask an admin for a new one.
invite-taken = This Telegram account is already linked to another user.
customer-ack = Thank you, your message is received. A manager will answer soon.
customer-file-ack = File "{ $name }" received, thank you.
staff-help =
    Commands:
    /leads — requests: new ones and yours
    /deals — deals: mine, by stage, overdue
    /find text — search by name, phone or number (or just type the text)
    /remind tomorrow 10am call Ivanov — a reminder for yourself
    /tasks — my tasks: overdue, today, the coming week
    /newcontact — a new contact
    /newcompany — a new company
    /cancel — cancel what is going on
    /help — this help
    To answer a client, reply to his forwarded message.
unknown-command = There is no such command. { staff-help }
error-generic = Something went wrong. Your message is saved and we will look into it. Please try again a little later.

## Requests from customers
lead-title-from-chat = Request from { $channel }: { $name }
channel-telegram = Telegram
channel-whatsapp = WhatsApp
intake-start = Hello! Your request No. { $number } is registered. Please answer a few questions.
intake-done = Thank you! Request No. { $number } is accepted. A manager will contact you right here.

## Asking values in flows
ask-yes = Yes
ask-no = No
ask-skip = Skip
ask-cancel = Cancel
ask-skip-by-dash = (to skip, send "-")
ask-hint-string = Please answer in text.
ask-hint-number = A number is needed, for example 120 or 12.5.
ask-hint-money = An amount in roubles is needed, for example 1250000.
ask-hint-date = A date is needed, for example 25.12.2026, 25.12 or "tomorrow".
ask-hint-enum = Please choose one of the options.
ask-hint-enum-or-text = Choose an option or write your own.
ask-hint-boolean = Please answer "yes" or "no".
ask-hint-file = Please send a file (a document or a photo).

## Notices to staff
notice-new-lead = 🆕 New request No. { $number }
notice-task-due = ⏰ Reminder: { $title } (task No. { $number })
notice-undelivered = ⚠️ Your answer to the client on { $channel } was not delivered.
undelivered-window = More than 24 hours have passed since the client last wrote, and WhatsApp lets only templates through. Wait for the client to write again and answer once more, or reach them another way.
undelivered-unreachable = The client cannot be reached: they blocked the bot, deleted the account or cannot receive messages.
undelivered-other = The platform did not accept the message: { $message }
undelivered-unknown = The platform reported the message as not delivered, without a reason.
undelivered-text = Your answer:
btn-take = Take it
btn-open = Open
btn-card = Card
btn-answer = Answer
btn-task-done = Done
card-source = Source: { $source }
card-contact = Client: { $name }
card-file = file
relay-lead = request No. { $number }
relay-deal = deal No. { $number }
relay-head = 💬 { $name } · { $what } · { $channel }:
relay-file = 📎 File: { $name }
relay-hint = To answer the client, reply to this message (swipe left) or press "Answer".

## Cards
card-lead-head = 📋 Request No. { $number } · { $status }
card-deal-head = 💼 Deal No. { $number } · { $pipeline }
card-contact-head = 👤 Contact No. { $number } · { $name }
card-stage = Stage: { $stage } ({ $at } of { $of })
card-amount = Amount: { $amount }
card-company = Company: { $name }
card-responsible = Responsible: { $name }
card-observers = Observers: { $names }
card-nobody = nobody yet
card-comment = Comment: { $text }
card-reason = Reason: { $text }
card-converted = Converted into deal No. { $number }
card-phone = Phone: { $phone }
card-email = E-mail: { $email }
card-position = Position: { $position }
card-tags = Tags: { $tags }
card-latest = Latest:
card-changed-meanwhile = Card No. { $number } was changed meanwhile; nothing was written. This is how it looks now:
tl-in = client
tl-out = answer to the client
tl-comment = comment
tl-stage = stage: { $from } → { $to }
tl-change = fields changed
tl-system = event: { $event }
btn-next-stage = ▶ { $stage }
btn-choose-stage = Stage…
btn-won = ✅ Won
btn-lost = ❌ Lost
btn-comment = 💬 Comment
btn-remind = ⏰ Remind
btn-file = 📎 File
btn-edit-field = ✏️ Field
btn-observers = 👁 Observers
btn-responsible = 👤 Responsible
btn-answer-client = ↩️ Answer the client
btn-refresh = 🔄 Refresh
btn-convert = ➡️ To a deal
btn-status = Status…
btn-open-deal = Open deal No. { $number }
btn-make-company = 🏢 Make a company
btn-done = Done
button-stale = This button no longer works.
button-unknown = Unknown action.
stage-choose = Deal No. { $number } is at stage "{ $stage }". Move it to:
std-field-title = Title
std-field-amount = Amount
std-field-comment = Comment
std-field-contact = Client
std-field-company = Company
std-field-responsible = Responsible
std-field-firstName = First name
std-field-lastName = Last name
std-field-middleName = Middle name
std-field-phone = Phone
std-field-email = E-mail
std-field-position = Position

## Stage moves
move-needs = Stage "{ $stage }" needs { $count } value(s). Answer one at a time; "Cancel" leaves the deal as it is.
move-needs-card-fields = Stage "{ $stage }" needs these on the card first: { $fields }.
move-ask-string = { $label }: type the value.
move-ask-number = { $label }: type a number.
move-ask-money = { $label }: type an amount in roubles.
move-ask-date = { $label }: type a date (e.g. 25.12.2026 or "tomorrow").
move-ask-enum = { $label }: choose an option.
move-ask-boolean = { $label }?
move-ask-file = { $label }: send the file (a document or a photo).
move-ask-reason = { $label }: choose a reason or write your own.
move-cancelled = Cancelled. Deal No. { $number } has not changed.
move-done = Deal No. { $number } moved to "{ $stage }".
move-won = 🎉 Deal No. { $number } is won ("{ $stage }").
move-lost = Deal No. { $number } is closed as lost ("{ $stage }").

## Flows
flow-cancelled = Cancelled; nothing changed.
nothing-to-cancel = There is nothing to cancel.
comment-ask = Type your comment.
comment-saved = Comment saved.
remind-ask = What and when should I remind you of? E.g. "tomorrow 10am call Ivanov", "in 2 hours check the payment", "25.11 at 15:00 send the quote".
remind-ask-card = When should I remind you, and of what? E.g. "tomorrow 10am send the quote", "friday afternoon", "in 2 hours". Without a text I will remind you to "Contact the client".
remind-ask-time = When should I remind you of task No. { $number }? E.g. "tomorrow 10am", "in 2 hours", "friday afternoon", "25.11 at 15:00".
remind-ask-what = What should I remind you of on { $when }?
remind-bad-title = Type what is to be done as plain text, up to { $max } characters.
remind-default-title = Contact the client
remind-set = ⏰ I will remind you on { $when }: { $title } (task No. { $number }).
remind-past = I read "{ $matched }" as { $when }, and that time has passed. Nothing was created.
remind-no-time = I did not get when to remind you: "{ $text }" names no date or time. Nothing was created.
remind-empty = Type what and when I should remind you of.
remind-too-long = That message is too long for a reminder (over { $max } characters). Nothing was created.
remind-title-too-long = The reminder's text is over { $max } characters; make it shorter. Nothing was created.
remind-bad-characters = The message holds control characters (such as NUL) that cannot be stored. Type it as plain text. Nothing was created.
remind-again = Type it again, e.g. "tomorrow 10am call Ivanov", "in 2 hours", "friday afternoon", "25.11 at 15:00", "end of day". Or press "Cancel".
remind-usage = E.g. /remind tomorrow 10am call Ivanov
remind-text-only = Type the time as text, e.g. "tomorrow 10am", or press "Cancel".
remind-not-yours = This reminder is not yours: task No. { $number } is someone else's. Nothing was changed.
remind-was-done = Task No. { $number } is already done. Nothing was changed.
remind-was-cancelled = Task No. { $number } is cancelled. Nothing was changed.
remind-stale = This message is out of date: task No. { $number } is now due on { $when }. Nothing was changed.
remind-passed-meanwhile = While we were talking, { $when } has come. Nothing was created: start again with /remind.
remind-target-past = That time has passed. Nothing was changed.
remind-cancelled = Reminder cancelled: { $title } (task No. { $number }).
remind-snoozed = ⏳ Snoozed until { $when }: { $title } (task No. { $number }).
remind-snoozed-toast = Snoozed until { $when }
task-done-toast = Done
btn-remind-plus-hour = +1 hour
btn-remind-tomorrow = Tomorrow 09:00
btn-remind-other-time = Another time
btn-remind-cancel = Cancel it
btn-snooze-15m = ⏳ 15 min
btn-snooze-1h = ⏳ 1 hour
task-head = 📌 Task No. { $number }: { $title }
task-due = Due: { $when }
tasks-no-due = no due time
tasks-overdue-mark = (overdue)
tasks-head = 📋 Your tasks. Today is { $today }.
tasks-none = No open tasks for today and the coming week.
tasks-overdue = ⚠️ Overdue: { $count }
tasks-today = 🕐 Today: { $count }
tasks-upcoming = 📅 Next 7 days: { $count }
tasks-some-shown = Not all are shown: up to 15 per section, the latest of the overdue ones.
tasks-later = later: { $count }
tasks-undated = no due time: { $count }
file-ask-slot = Where should the file go?
file-history-only = History only
file-ask = Send the file (a document or a photo).
file-saved = File "{ $name }" saved.
edit-ask-field = Which field?
edit-saved = Field "{ $field }" saved.
assign-ask = Who becomes responsible?
assign-done = Responsible: { $name }.
observers-ask = Tick the observers and press "Done".
observers-done = Observers: { $count }.
pick-use-buttons = Please choose with the buttons below.
answer-ask = Type your answer to the client, or send a document or a photo; it goes out from the company's account.
answer-sent = Sent to the client on { $channel }.
answer-no-chat = This client has no chat with the company: there is nowhere to answer.
answer-text-or-file = The client can be answered with text, a document or a photo.
answer-file-other-channel = This client writes on { $channel }: a file from Telegram cannot go there. Answer with text (a link to the file can go in it).
convert-ask-payer = Who pays?
convert-payer-person = A private person
convert-payer-company = A company (legal entity)
convert-ask-company = The paying company's name?
convert-ask-inn = INN (10 or 12 digits)? You may skip it.
convert-bad-inn = An INN has 10 or 12 digits.
convert-bad-inn-checksum = No INN looks like that: its control digit does not match. Check the number.
convert-ask-contact = The client's name?
convert-ask-amount = The deal's amount, if known?
convert-done = Request No. { $lead } is now deal No. { $deal }.
convert-done-company = Request No. { $lead } is now deal No. { $deal }; the payer is company No. { $company }.
convert-already = This request is already deal No. { $number }.
status-ask = Which status?
status-ask-reason = The reason? Choose one or write your own.
status-ask-callback = When to offer again? A date makes a call-back task; or "Skip".
status-callback-title = Call the client back with a new offer (request No. { $number })
status-set = Request No. { $number }: status "{ $status }".
status-declined = Request No. { $number } is closed: the client declined. The client is kept as contact No. { $contact }.
status-declined-callback = Request No. { $number } is closed: the client declined. The client is kept as contact No. { $contact }; on { $day } you will be reminded to call back.
contact-ask-name = The client's last name, first name and middle name?
contact-ask-phone = Phone? You may skip it.
contact-bad-phone = That does not look like a phone number. Type it like +7 916 123-45-67.
contact-created = Contact No. { $number } created.
company-ask-name = The company's name?
company-created = Company No. { $number } "{ $name }" created.
company-from-contact = Company No. { $number } "{ $name }" created; the contact is linked to it.
lead-taken = Request No. { $number } is yours now.
lead-taken-toast = It is yours
task-done = Task "{ $title }" done.

## Lists and search
leads-list = Requests ({ $count }): 🆕 — nobody has taken them yet.
leads-none = No open requests.
deals-which = Which deals?
btn-deals-mine = Mine
btn-deals-stages = By stage
btn-deals-overdue = Overdue
deals-list = { $title }: { $count }
deals-none = { $title }: no deals.
deals-pick-stage = Choose a stage.
find-usage = Type a name, a phone or a number after /find, e.g.: /find +7 916 123-45-67
find-found = Found for "{ $q }": { $count }
find-nothing = Nothing found for "{ $q }". Search by name, phone or number; commands: /help
inn = INN

## Refusals
entity-deal = deal
entity-lead = request
entity-contact = contact
entity-company = company
entity-task = task
entity-record = record
refused-no-access = No access to { $what }: it is not yours. Ask the responsible to add you as an observer, or ask your supervisor.
refused-not-found = Not found: { $what }.
refused-stale = It was changed meanwhile: { $what }. Open it again.
refused-lead-taken = { $name } has already taken this request.
refused-transition-same_stage = The deal is at this stage already.
refused-transition-deal_closed = The deal is closed; only a supervisor can reopen it.
refused-transition-not_allowed_from = This stage cannot be reached from the current one.
refused-requirements = Missing: { $fields }.
refused-invalid = Wrong value: { $fields }.
refused-conflict = That did not work: { $message }
refused-observer = You observe the { $what }: you may read it, comment, add files and set reminders for yourself. Changing it, moving it and handing it over is for its responsible or a supervisor.
refused-duplicate-inn = A company with this INN already exists: No. { $number } "{ $name }". No second card made.
tl-responsible = responsible changed
tl-status = status: { $to }
tl-event-created = created
tl-event-converted = converted into a deal
tl-event-intake_completed = the client answered the questions
customer-unknown-command = There is no such command. Just write what you need; a manager will answer right here.
btn-contact = 👤 Client

## Staff administration (admins)
staff-access-removed = Your access to the company's CRM was removed. If this is a mistake, ask an admin.
staff-admin-only = Only an admin can manage staff.
staff-admin-help =
    For admins:
    /staff — staff: roles, linked messengers; a card per person (roles, supervisor, language, invite code, API tokens, deactivate, hand over records)
    /adduser roles name — a new staff member and his invite code, e.g. /adduser manager,logist Anna Petrova
    /invite number — a new invite code for staff member No. number
    /rename number name — change the name
    /department number name — change the department ("-" clears it)
staff-role-manager = manager
staff-role-logist = logist
staff-role-supervisor = supervisor
staff-role-admin = admin
staff-kind-lead = request
staff-kind-deal = deal
staff-kind-task = task
staff-kind-contact = contact
staff-kind-company = company
staff-active = active
staff-inactive = deactivated
staff-inactive-since = deactivated on { $day }
staff-list-head = Staff: { $count }. ⛔ — deactivated.
staff-supervisor-short = supervisor { $name }
staff-list-more = … and { $count } more
staff-admin-hint = Press a name to open the card. /adduser roles name — a new staff member.
staff-card-head = 👤 Staff member No. { $number } · { $name }
staff-card-roles = Roles: { $roles }
staff-card-supervisor = Supervisor: { $name }
staff-card-department = Department: { $name }
staff-card-language = Language: { $lang }
staff-linked-yes = linked
staff-linked-no = not linked
staff-card-status = Status: { $status }
staff-card-open = Holds: { $summary }
staff-btn-roles = Roles
staff-btn-supervisor = Supervisor
staff-btn-language = Language ru/en
staff-btn-invite = 🔑 Invite code
staff-btn-tokens = API tokens
staff-btn-handover = Hand over records ({ $count })
staff-btn-deactivate = ⛔ Deactivate
staff-btn-reactivate = ✅ Give access back
staff-btn-deactivate-yes = Yes, deactivate
staff-btn-handover-all = Hand all ({ $count }) to…
staff-btn-revoke = Revoke token No. { $number }
staff-open-none = nothing open
staff-open-lead = { $count ->
    [one] { $count } request
   *[other] { $count } requests
}
staff-open-deal = { $count ->
    [one] { $count } deal
   *[other] { $count } deals
}
staff-open-task = { $count ->
    [one] { $count } task
   *[other] { $count } tasks
}
staff-open-contact = { $count ->
    [one] { $count } contact
   *[other] { $count } contacts
}
staff-open-company = { $count ->
    [one] { $count } company
   *[other] { $count } companies
}
staff-open-empty = { $name } holds no open records.
staff-open-head = { $name } still holds: { $summary }.
staff-open-hint = Hand them all to one person, or press a record to hand it to someone.
staff-adduser-usage = Type the roles and the name, e.g.: /adduser manager Anna Petrova (roles: manager, logist, supervisor, admin; several with commas)
staff-added = Staff member No. { $number } added: { $name } ({ $roles }).
staff-invite-usage = Type the staff member's number, e.g.: /invite 12 (the numbers are in /staff)
staff-rename-usage = Type the number and the new name, e.g.: /rename 12 Anna Petrova
staff-department-usage = Type the number and the department, e.g.: /department 12 Sales ("-" clears it)
staff-invite-code = Invite code for { $name }: { $code }
    Let them send the bot "/start { $code }" before { $until }. The code works once.
staff-roles-ask = Roles of { $name }: press to add or remove one.
staff-roles-one-needed = At least one role is needed.
staff-roles-now = Roles: { $roles }
staff-supervisor-ask = Who is the supervisor?
staff-supervisor-none = Nobody
staff-tokens-head = API tokens:
staff-tokens-none = This staff member has no API tokens.
staff-token-active = No. { $number } «{ $label }», issued { $created } — valid
staff-token-revoked = No. { $number } «{ $label }», issued { $created } — revoked { $revoked }
staff-token-now-revoked = Token No. { $number } is revoked: the API no longer accepts it.
staff-token-was-revoked = Token No. { $number } was revoked already.
staff-token-not-found = There is no API token No. { $number }.
staff-deactivate-confirm = Deactivate { $name }? Their API tokens are revoked, their conversations with the bot ended; they get no new requests and no notices, and their messages to the bot no longer act as staff. Their records stay and can be handed over.
staff-deactivated = { $name } is deactivated. API tokens revoked: { $tokens }; bot conversations ended: { $sessions }; unused invite codes dropped: { $invites }.
staff-already-inactive = { $name } was deactivated already.
staff-reactivated = { $name } has access again. API tokens stay revoked: issue new ones if needed.
staff-handover-ask-all = Who gets all the records?
staff-handover-ask-one = Who gets { $what }?
staff-handover-nothing = Nothing was handed over: the records are no longer theirs or are closed.
staff-handover-done = Handed to { $name }: { $count }.
staff-handover-notice = 📥 Records handed to you: { $count }.
staff-refused-self_deactivation = You cannot deactivate yourself; another admin can.
staff-refused-last_admin = This is the last active admin: make someone else admin first.
staff-refused-inactive = This staff member is deactivated: give access back first.
staff-refused-supervisor_loop = That supervisor reports to this staff member: the chain would loop.
staff-refused-conflict = That did not work.
staff-not-found = There is no staff member No. { $number }.
staff-invalid = Wrong value: { $issues }

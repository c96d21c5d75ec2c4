welcome-customer = Hello, { $name }! Tell us what you need; a manager will answer right here.
welcome-staff = { $name }, you are signed in. Roles: { $roles }. Commands: /help
staff-linked = Done, { $name }: your Telegram is linked to your account. Commands: /help
invite-invalid = That invite code did not work: it is wrong, used or expired. Ask an admin for a new one.
invite-taken = This Telegram account is already linked to another user.
customer-ack = Thank you, your message is received. A manager will answer soon.
customer-file-ack = File "{ $name }" received, thank you.
staff-help =
    Commands:
    /start — greeting
    /help — this help
unknown-command = There is no such command. { staff-help }
error-generic = Something went wrong. Your message is saved and we will look into it. Please try again a little later.

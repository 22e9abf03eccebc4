"""Every sentence a user can read, in English and 中文. A new message goes here in both languages
(tests/test_messages.py checks that each key has both, with the same placeholders)."""

from __future__ import annotations

from datetime import date

LANGS = ("en", "zh")

MESSAGES: dict[str, dict[str, str]] = {
    # --- grammar errors ---
    "empty_command": {
        "en": "Say what to do, e.g. `add Write warm-up copy @alice due:fri` — `help` lists every command.",
        "zh": "请输入指令，例如 `新建 写预热文案 @张三 周五前`，发送 `帮助` 查看全部指令。",
    },
    "unknown_verb": {
        "en": "I don't know the command “{word}”. Try `help` for the list, e.g. `add Write copy due:fri`.",
        "zh": "不认识指令“{word}”。发送 `帮助` 查看指令列表，例如 `新建 写文案 周五前`。",
    },
    "unknown_verb_suggest": {
        "en": "I don't know the command “{word}”. Did you mean: {suggestions}? (`help` lists all)",
        "zh": "不认识指令“{word}”。你是不是想用：{suggestions}？（发送 `帮助` 查看全部）",
    },
    "bad_date": {
        "en": "I couldn't read the date “{phrase}” (or it is more than ten years away). Try `tomorrow`, `fri`, `next monday`, `in 3 days`, `Dec 1` or `2026-12-01`.",
        "zh": "看不懂日期“{phrase}”（或超出十年范围）。可以写 `明天`、`周五`、`下周一`、`3天后`、`12月1日` 或 `2026-12-01`。",
    },
    "bad_cause": {
        "en": "“{value}” is not a root-cause category. Use one of: resources, dependency, approval, scope, technical, external, communication, other — e.g. `cause:resources`.",
        "zh": "“{value}”不是根因类别。可选：资源、依赖、审批、需求、技术、外部、沟通、其他，例如 `原因:资源`。",
    },
    "task_missing": {
        "en": "Which task? Give its number, e.g. `{verb} 12`.",
        "zh": "是哪个任务？请带上任务编号，例如 `{verb} 12`。",
    },
    "task_bad": {
        "en": "“{value}” is not a task number. Task numbers look like `12` or `#12`, e.g. `{verb} 12`.",
        "zh": "“{value}”不是任务编号。编号形如 `12` 或 `#12`，例如 `{verb} 12`。",
    },
    "name_too_long": {
        "en": "The name “{name}” is too long; keep names within {limit} characters.",
        "zh": "名称“{name}”太长，请控制在 {limit} 个字符以内。",
    },
    "one_date": {
        "en": "`{word}` appears twice; give one date, e.g. `due:fri`.",
        "zh": "`{word}` 出现了两次，请只给一个日期，例如 `截止:周五`。",
    },
    "title_too_long": {
        "en": "That title is {length} characters; keep it within {limit}. Put details in a follow-up note.",
        "zh": "标题有 {length} 个字符，请控制在 {limit} 个以内，细节可以另行补充。",
    },
    "note_too_long": {
        "en": "That note is {length} characters; keep it within {limit}.",
        "zh": "备注有 {length} 个字符，请控制在 {limit} 个以内。",
    },
    "add_no_title": {
        "en": "A new task needs a title, e.g. `add Write warm-up copy @alice due:fri +double11`.",
        "zh": "新任务需要标题，例如 `新建 写预热文案 @张三 周五前 +双11`。",
    },
    "one_assignee": {
        "en": "A task has one owner, but I see {names}. Pick one; split the work into two tasks if needed.",
        "zh": "一个任务只能有一位负责人，这里有 {names}。请选一位，必要时拆成两个任务。",
    },
    "one_project": {
        "en": "A task belongs to one project, but I see {names}. Pick one.",
        "zh": "一个任务只能属于一个项目，这里有 {names}。请选一个。",
    },
    "cause_only_block": {
        "en": "`cause:` goes with `block`, e.g. `block 12 waiting for design cause:resources`.",
        "zh": "`原因:` 用在阻塞指令里，例如 `阻塞 12 等设计稿 原因:资源`。",
    },
    "start_after_due": {
        "en": "The start ({start}) is after the due date ({due}). Check the dates.",
        "zh": "开始日期（{start}）晚于截止日期（{due}），请检查日期。",
    },
    "bad_filter": {
        "en": "I can't filter the list by “{value}”. Use mine, overdue, blocked, today, done, all, @person or +project — e.g. `list overdue +double11`.",
        "zh": "无法按“{value}”筛选。可用：我的、逾期、阻塞、今天、已完成、全部、@某人、+项目，例如 `列表 逾期 +双11`。",
    },
    "list_one_each": {
        "en": "Filter by at most one person and one project, e.g. `list @alice +double11`.",
        "zh": "最多按一个人和一个项目筛选，例如 `列表 @张三 +双11`。",
    },
    "no_args": {
        "en": "`{verb}` needs nothing more; I don't know what to do with “{value}”. Just `{verb}`.",
        "zh": "`{verb}` 后面不需要别的内容，不明白“{value}”的意思。只发 `{verb}` 即可。",
    },
    "show_extra": {
        "en": "`show` takes just a task number; I don't know what to do with “{value}”. E.g. `show 12`.",
        "zh": "`查看` 只需要任务编号，不明白“{value}”的意思。例如 `查看 12`。",
    },
    "progress_missing": {
        "en": "How far along is #{task}? Give a percentage, e.g. `progress {task} 60%`.",
        "zh": "#{task} 进展到多少了？请给出百分比，例如 `进度 {task} 60%`。",
    },
    "progress_bad": {
        "en": "“{value}” is not a progress from 0% to 100%. E.g. `progress {task} 60%`.",
        "zh": "“{value}”不是 0% 到 100% 之间的进度。例如 `进度 {task} 60%`。",
    },
    "block_no_reason": {
        "en": "What is blocking #{task}? Give a reason, e.g. `block {task} waiting for design cause:resources`.",
        "zh": "#{task} 被什么卡住了？请写明原因，例如 `阻塞 {task} 设计资源不足 原因:资源`。",
    },
    "assign_who": {
        "en": "Assign #{task} to whom? Name one person, e.g. `assign {task} @bob` (or `me`, or `none` to unassign).",
        "zh": "把 #{task} 指派给谁？请指定一个人，例如 `指派 {task} @李四`（或 `我`，`无` 表示取消指派）。",
    },
    "due_missing": {
        "en": "When is #{task} due? E.g. `due {task} next monday` (or `due {task} none` to clear it).",
        "zh": "#{task} 什么时候截止？例如 `截止 {task} 下周一`（或 `截止 {task} 无` 清除截止日期）。",
    },
    "snooze_bad": {
        "en": "“{value}” is not a number of days. E.g. `snooze {task}` (one day) or `snooze {task} 3d`.",
        "zh": "“{value}”不是天数。例如 `推迟 {task}`（一天）或 `推迟 {task} 3天`。",
    },
    "settings_unknown": {
        "en": "There is no setting “{value}”. Use `settings tz Asia/Shanghai` or `settings lang en`; `settings` alone shows them.",
        "zh": "没有“{value}”这个设置。可用 `设置 时区 Asia/Shanghai` 或 `设置 语言 中文`；只发 `设置` 可查看当前设置。",
    },
    "settings_target_missing": {
        "en": "Which address? Copy the one the platform shows for this group: `settings webhook https://…`.",
        "zh": "请提供平台为本群给出的地址：`设置 webhook https://…`。",
    },
    "bad_post_target": {
        "en": "That is not this platform's {target} address. It should start with {prefix}",
        "zh": "这不是本平台的{target}地址，应以 {prefix} 开头。",
    },
    "no_post_target": {
        "en": "This platform posts to channels directly; there is no webhook to set.",
        "zh": "本平台直接向频道发消息，无需设置 Webhook。",
    },
    "plan_not_allowed": {
        "en": "Only managers and admins make or change plans (`{verb}`); an admin can make you a manager with `role @<your name> manager`.",
        "zh": "只有管理者和管理员可以新建或修改计划（`{verb}`）；管理员可用 `角色 @<你的名字> 管理者` 授权。",
    },
    "verb_not_allowed": {
        "en": "You may not use `{verb}` here; ask an admin.",
        "zh": "你没有权限使用 `{verb}`，请联系管理员。",
    },
    "admin_only": {
        "en": "Only an admin can change {what}.",
        "zh": "只有管理员可以修改{what}。",
    },
    "post_target_set": {
        "en": "Scheduled posts here will go through the {target} (…{tail}).",
        "zh": "本群的定时消息将通过{target}发送（…{tail}）。",
    },
    "post_target_refused": {
        "en": "⚠️ Posts to this group are paused: the platform refused the {target} address. An admin can set a new one with `settings webhook <url>`.",
        "zh": "⚠️ 本群的定时消息已暂停：{target}地址被平台拒绝。请管理员用 `设置 webhook <地址>` 重新设置。",
    },
    "setting_posts": {"en": "Scheduled posts", "zh": "定时消息"},
    "posts_stopped_state": {
        "en": "stopped since {day} ({why})",
        "zh": "自 {day} 起已停止（{why}）",
    },
    "posts_resumed": {
        "en": "⚠️ Scheduled posts here stopped on {day} ({why}). They will be tried again from the next one; if the bot is not a member of this channel, add it first.",
        "zh": "⚠️ 本频道的定时消息已于 {day} 停止（{why}）。下一次起会重新尝试发送；如果机器人不在本频道，请先把它加进来。",
    },
    "posts_stopped_target": {
        "en": "⚠️ Scheduled posts to this group stopped on {day} ({why}). An admin can set the {target} address with `settings webhook <url>` to start them again.",
        "zh": "⚠️ 本群的定时消息已于 {day} 停止（{why}）。请管理员用 `设置 webhook <地址>` 设置{target}地址后恢复。",
    },
    "target_none": {"en": "not set", "zh": "未设置"},
    "target_refused": {"en": "paused (refused by the platform)", "zh": "已暂停（被平台拒绝）"},
    "settings_tz_missing": {
        "en": "Which time zone? E.g. `settings tz Asia/Shanghai` or `settings tz America/New_York`.",
        "zh": "设置哪个时区？例如 `设置 时区 Asia/Shanghai`。",
    },
    "settings_lang_missing": {
        "en": "Which language? `settings lang en` or `settings lang zh`.",
        "zh": "设置哪种语言？`设置 语言 中文` 或 `设置 语言 英文`。",
    },
    # --- roles ---
    "role_title": {"en": "Role", "zh": "角色"},
    "roles_title": {"en": "Roles in this workspace", "zh": "本工作区的角色"},
    "role_admin": {"en": "admin", "zh": "管理员"},
    "role_manager": {"en": "manager", "zh": "管理者"},
    "role_member": {"en": "member", "zh": "成员"},
    "role_viewer": {"en": "viewer", "zh": "观察者"},
    "role_is": {"en": "{who}'s role: {role}.", "zh": "{who} 的角色是{role}。"},
    "role_is_platform": {
        "en": "{who}'s role: {role} (the platform says so).",
        "zh": "{who} 的角色是{role}（由平台设定）。",
    },
    "role_set": {
        "en": "{who}'s role is now {role} (was {was}).",
        "zh": "{who} 的角色已改为{role}（原为{was}）。",
    },
    "roles_line": {"en": "{role}: {who}", "zh": "{role}有：{who}"},
    "roles_rest": {"en": "Everyone else is a member.", "zh": "其他人都是成员。"},
    "role_who": {
        "en": "Whose role? E.g. `{verb} @bob` to see it, `{verb} @bob manager` to set it (admin, manager, member, viewer).",
        "zh": "谁的角色？例如 `{verb} @李四` 查看，`{verb} @李四 管理者` 设置（管理员、管理者、成员、观察者）。",
    },
    "bad_role": {
        "en": "“{value}” is not a role. Use admin, manager, member or viewer, e.g. `role @bob manager`.",
        "zh": "“{value}”不是角色。可选：管理员、管理者（经理）、成员、观察者（只读），例如 `角色 @李四 管理者`。",
    },
    "role_admin_only": {
        "en": "Only an admin can set roles. `role @name` shows someone's role.",
        "zh": "只有管理员可以设置角色。发送 `角色 @某人` 查看其角色。",
    },
    "role_platform_admin": {
        "en": "@{who} is an admin on the platform itself; change that there, not here.",
        "zh": "@{who} 是平台设定的管理员，请在平台上修改，而不是在这里。",
    },
    "role_last_admin": {
        "en": "You are the last admin of this workspace. Make someone else an admin first, e.g. `role @bob admin`.",
        "zh": "你是本工作区最后一位管理员。请先指定另一位管理员，例如 `角色 @李四 管理员`。",
    },
    "viewer_not_allowed": {
        "en": "You are a viewer here: you can read (`list`, `show`, `help`) but not change anything with `{verb}`. Ask an admin for another role.",
        "zh": "你在这里是观察者：可以查看（`列表`、`查看`、`帮助`），但不能用 `{verb}` 修改。如需修改，请联系管理员调整角色。",
    },
    "help_unknown": {
        "en": "There is no command “{value}”. `help` lists them all.",
        "zh": "没有“{value}”这个指令。发送 `帮助` 查看全部指令。",
    },
    # --- handler errors ---
    "task_not_found": {
        "en": "Task #{task} was not found in this workspace. `list` shows the open tasks.",
        "zh": "本工作区找不到任务 #{task}。发送 `列表` 查看未完成的任务。",
    },
    "not_allowed": {
        "en": "Only the owner, the creator, a manager or an admin can change #{task}.",
        "zh": "只有负责人、创建人、管理者或管理员可以修改 #{task}。",
    },
    "already_doing": {"en": "#{task} is already in progress.", "zh": "#{task} 已经在进行中。"},
    "already_done": {"en": "#{task} is already done.", "zh": "#{task} 已经完成了。"},
    "already_cancelled": {"en": "#{task} is already cancelled.", "zh": "#{task} 已经取消了。"},
    "is_closed": {
        "en": "#{task} is {status}. Reopen it first: `reopen {task}`.",
        "zh": "#{task} {status}。请先重开：`重开 {task}`。",
    },
    "is_blocked": {
        "en": "#{task} is blocked ({reason}). Clear it with `unblock {task}` first.",
        "zh": "#{task} 处于阻塞（{reason}）。请先 `解除 {task}`。",
    },
    "already_blocked": {
        "en": "#{task} is already blocked ({reason}). `unblock {task}` clears it.",
        "zh": "#{task} 已经处于阻塞（{reason}）。`解除 {task}` 可以解除。",
    },
    "not_blocked": {"en": "#{task} is not blocked.", "zh": "#{task} 没有被阻塞。"},
    "not_closed": {
        "en": "#{task} is still open ({status}); only done or cancelled tasks can be reopened.",
        "zh": "#{task} 仍未关闭（{status}），只有已完成或已取消的任务可以重开。",
    },
    "same_progress": {
        "en": "#{task} is already at {progress}%.",
        "zh": "#{task} 的进度已经是 {progress}%。",
    },
    "snooze_no_due": {
        "en": "#{task} has no due date to push back. Set one: `due {task} fri`.",
        "zh": "#{task} 没有截止日期，无法推迟。先设置：`截止 {task} 周五`。",
    },
    "person_ambiguous": {
        "en": "More than one member is called @{name}. Mention them so I know who you mean.",
        "zh": "有不止一位成员叫 @{name}，请直接 @ 具体的人。",
    },
    "person_not_in_directory": {
        "en": "I can't find @{name} in the company directory. Check the name, or mention them by their account.",
        "zh": "通讯录里找不到 @{name}，请检查姓名是否正确。",
    },
    "directory_down": {
        "en": "I can't reach the company directory right now, so I can't tell who @{name} is. Please try again in a minute.",
        "zh": "暂时无法读取通讯录，无法确认 @{name} 是谁，请稍后再试。",
    },
    "person_which": {
        "en": "More than one person is called @{name}: {options}. Which one? Write their account, e.g. @{name} → @userid.",
        "zh": "通讯录里有多位 @{name}：{options}。请用账号指定是哪一位，例如 @账号。",
    },
    "unknown_person": {
        "en": "I don't know anyone called @{name} in this workspace yet.",
        "zh": "本工作区还没有叫 @{name} 的成员。",
    },
    "bad_tz": {
        "en": "“{value}” is not a time zone I know. Use a name like Asia/Shanghai, Europe/London or America/New_York.",
        "zh": "不认识时区“{value}”。请使用 Asia/Shanghai、Europe/London 这样的名称。",
    },
    "bad_lang": {
        "en": "“{value}” is not a language I speak. Use `en` (English) or `zh` (中文).",
        "zh": "不支持语言“{value}”。请用 `zh`（中文）或 `en`（English）。",
    },
    "internal_error": {
        "en": "Something went wrong on my side and nothing was changed. Please try again.",
        "zh": "系统出了点问题，没有做任何修改。请稍后再试。",
    },
    "error_title": {"en": "Couldn't do that", "zh": "没能执行"},
    # --- confirmations ---
    "added": {"en": "Added #{task}", "zh": "已新建 #{task}"},
    "started": {"en": "Started #{task}", "zh": "已开始 #{task}"},
    "done": {"en": "Done: #{task}", "zh": "已完成 #{task}"},
    "cancelled": {"en": "Cancelled #{task}", "zh": "已取消 #{task}"},
    "reopened": {"en": "Reopened #{task}", "zh": "已重开 #{task}"},
    "progress_set": {"en": "#{task} is {progress}% done", "zh": "#{task} 进度 {progress}%"},
    "blocked": {"en": "#{task} is blocked", "zh": "#{task} 已标记为阻塞"},
    "unblocked": {"en": "#{task} is unblocked", "zh": "#{task} 已解除阻塞"},
    "assigned": {"en": "#{task} assigned to {who}", "zh": "#{task} 已指派给 {who}"},
    "unassigned": {"en": "#{task} has no owner now", "zh": "#{task} 已取消指派"},
    "due_set": {"en": "#{task} is due {due}", "zh": "#{task} 截止日期改为 {due}"},
    "due_cleared": {"en": "#{task} has no due date now", "zh": "#{task} 已清除截止日期"},
    "snoozed": {"en": "#{task} pushed back to {due}", "zh": "#{task} 已推迟到 {due}"},
    "due_in_past": {
        "en": "Note: that date is already past, so the task shows as overdue.",
        "zh": "注意：该日期已过，任务将显示为逾期。",
    },
    "date_rolled": {
        "en": "Note: “{phrase}” has already passed, so it is read as {day}. If you meant {past}, use `due {task} {past}`.",
        "zh": "注意：“{phrase}” 已过，按 {day} 计；若是指 {past}，请用 `截止 {task} {past}`。",
    },
    "date_weekday_today": {
        "en": "Note: “{phrase}” is today, so the due date is today ({day}). If you meant next week's, that is {later}.",
        "zh": "注意：今天就是“{phrase}”，按今天（{day}）计；若是指下周的，那是 {later}。",
    },
    "date_day_first": {
        "en": "Note: “{phrase}” cannot be month/day, so it is read as day/month: {day}.",
        "zh": "注意：“{phrase}” 不是 月/日，按 日/月 读作 {day}。",
    },
    "date_not_read": {
        "en": "Note: “{phrase}” stays in the title; it was not read as a date. To set a due date: `due <task number> <date>`, e.g. `due 4 11/20`.",
        "zh": "注意：“{phrase}” 留在标题里，没有当作日期；要设截止日期请用 `截止 <任务号> 日期`，例如 `截止 4 11月20日`。",
    },
    "two_dates": {
        "en": "Two dates in one command: “{first}” and “{second}”. Which one is the due date? Send it again with just that one.",
        "zh": "一条命令里有两个日期：“{first}”和“{second}”，以哪个为准？请只保留一个再发一次。",
    },
    "new_project": {"en": "New project +{project} created.", "zh": "已创建新项目 +{project}。"},
    "new_member": {
        "en": "{who} is new here; they will see their tasks when they speak to me.",
        "zh": "{who} 是新成员，在频道里发言后即可查看自己的任务。",
    },
    # --- owners: how a mention was read, or the question instead of a guess ---
    "owner_several": {
        "en": "“{value}” names more than one person, and a task has one owner. Pick one, e.g. `@{first}`, and split the work into two tasks if needed.",
        "zh": "“{value}”里有不止一个人，而一个任务只有一位负责人。请只写一位，例如 `@{first}`，必要时拆成两个任务。",
    },
    "owner_empty": {
        "en": "“{value}” names no one. Write the owner right after it, e.g. `owner:bob` or `@bob`.",
        "zh": "“{value}”后面没有写人。请紧跟着写负责人，例如 `负责人：张三` 或 `@张三`。",
    },
    "person_did_you_mean": {
        "en": "No one here is called @{name} yet. Did you mean {options}? Nothing was changed: send it again with that name, or write `@{name}!` if {name} is someone new.",
        "zh": "这里还没有叫 @{name} 的成员。是指 {options} 吗？未做任何更改：请改用正确的名字重发；若 {name} 确是新成员，请写 `@{name}!`。",
    },
    "person_split": {
        "en": "Is “@{first} {second}” @{joined}? No one here is called {joined}, so nothing was changed. Write the name without a space (`@{joined}!` for someone new); if “{second}” belongs to the title, put it before the mention.",
        "zh": "“@{first} {second}”是指 @{joined} 吗？这里没有叫 {joined} 的成员，未做任何更改。请把名字连着写（新成员请写 `@{joined}!`）；若“{second}”属于标题，请写在 @{first} 之前。",
    },
    "mention_joined": {
        "en": "Read “@{first} {second}” as @{joined}.",
        "zh": "已将“@{first} {second}”读作 @{joined}。",
    },
    "mention_in_word": {
        "en": "“{word}” stayed in the title: an @ right after letters is not read as the owner. To make @{name} the owner, put a space before the @.",
        "zh": "“{word}”保留在标题中：紧跟在字母后的 @ 不算负责人。若要让 @{name} 负责，请在 @ 前加空格。",
    },
    "unknown_person_suggest": {
        "en": "I don't know anyone called @{name} in this workspace. Did you mean {options}?",
        "zh": "本工作区没有叫 @{name} 的成员。是指 {options} 吗？",
    },
    "blocker_line": {"en": "Blocker: {reason}", "zh": "阻塞原因：{reason}"},
    "blocker_cause_line": {
        "en": "Blocker: {reason} (root cause: {cause})",
        "zh": "阻塞原因：{reason}（根因：{cause}）",
    },
    "blocker_resolved": {
        "en": "Blocker cleared after {duration}: {reason}",
        "zh": "阻塞已解除，历时 {duration}：{reason}",
    },
    "note_line": {"en": "Note: {note}", "zh": "备注：{note}"},
    # --- list ---
    "list_title": {"en": "Tasks in this channel", "zh": "本频道任务"},
    "list_title_mine": {"en": "My tasks", "zh": "我的任务"},
    "list_title_overdue": {"en": "Overdue", "zh": "逾期任务"},
    "list_title_blocked": {"en": "Blocked", "zh": "阻塞任务"},
    "list_title_today": {"en": "Due today", "zh": "今天截止"},
    "list_title_done": {"en": "Done", "zh": "已完成"},
    "list_title_all": {"en": "All tasks", "zh": "全部任务"},
    "list_filter_person": {"en": "owner {who}", "zh": "负责人 {who}"},
    "list_filter_project": {"en": "project +{project}", "zh": "项目 +{project}"},
    "list_empty": {
        "en": "Nothing here. Add a task: `add Write copy @alice due:fri`.",
        "zh": "这里还没有任务。新建一个：`新建 写文案 @张三 周五前`。",
    },
    "home_empty": {
        "en": "Nothing on your plate. New tasks assigned to you show up here.",
        "zh": "你目前没有待办任务，指派给你的新任务会显示在这里。",
    },
    "list_counts": {
        "en": "Total {total} · 🔴 {red} · 🟡 {yellow} · 🟢 {green}",
        "zh": "共 {total} 项 · 🔴 {red} · 🟡 {yellow} · 🟢 {green}",
    },
    "list_more": {
        "en": "…and {more} more. Narrow it down, e.g. `list overdue` or `list +project`.",
        "zh": "……还有 {more} 项。可以缩小范围，例如 `列表 逾期` 或 `列表 +项目`。",
    },
    "unknown_project": {
        "en": "There is no project +{project} yet. Projects start when a task names them: `add … +{project}`.",
        "zh": "还没有项目 +{project}。新建任务时带上它即可创建：`新建 … +{project}`。",
    },
    # --- task details ---
    "field_status": {"en": "Status", "zh": "状态"},
    "field_owner": {"en": "Owner", "zh": "负责人"},
    "field_due": {"en": "Due", "zh": "截止"},
    "field_start": {"en": "Start", "zh": "开始"},
    "field_project": {"en": "Project", "zh": "项目"},
    "field_progress": {"en": "Progress", "zh": "进度"},
    "field_creator": {"en": "Created by", "zh": "创建人"},
    "field_light": {"en": "Light", "zh": "状态灯"},
    "history": {"en": "History", "zh": "变更记录"},
    "nobody": {"en": "nobody", "zh": "未指派"},
    "no_date": {"en": "no date", "zh": "未设置"},
    "status_todo": {"en": "to do", "zh": "待开始"},
    "status_doing": {"en": "in progress", "zh": "进行中"},
    "status_blocked": {"en": "blocked", "zh": "阻塞中"},
    "status_done": {"en": "done", "zh": "已完成"},
    "status_cancelled": {"en": "cancelled", "zh": "已取消"},
    "cause_resources": {"en": "resources", "zh": "资源"},
    "cause_dependency": {"en": "dependency", "zh": "依赖"},
    "cause_approval": {"en": "approval", "zh": "审批"},
    "cause_scope": {"en": "scope", "zh": "需求"},
    "cause_technical": {"en": "technical", "zh": "技术"},
    "cause_external": {"en": "external", "zh": "外部"},
    "cause_communication": {"en": "communication", "zh": "沟通"},
    "cause_other": {"en": "other", "zh": "其他"},
    "event_created": {"en": "{when} {who} created it", "zh": "{when} {who} 新建"},
    "event_change": {
        "en": "{when} {who}: {field} {old} → {new}",
        "zh": "{when} {who}：{field} {old} → {new}",
    },
    "days_overdue": {"en": "{days}d overdue", "zh": "逾期{days}天"},
    "due_today": {"en": "due today", "zh": "今天截止"},
    "duration_hour": {"en": "1 hour", "zh": "1 小时"},
    "duration_hours": {"en": "{hours} hours", "zh": "{hours} 小时"},
    # --- why a light is what it is ---
    "why_blocked": {"en": "blocked", "zh": "被阻塞"},
    "why_overdue": {"en": "overdue by {span}", "zh": "已逾期 {span}"},
    "why_due_soon": {
        "en": "due {when}, only {progress}% done",
        "zh": "{when}截止，进度仅 {progress}%",
    },
    "why_behind": {
        "en": "{progress}% done, {expected}% expected by now",
        "zh": "进度 {progress}%，按计划此时应到 {expected}%",
    },
    "why_on_track": {"en": "on track, due {when}", "zh": "进展正常，{when}截止"},
    "when_today": {"en": "today", "zh": "今天"},
    "when_tomorrow": {"en": "tomorrow", "zh": "明天"},
    "when_days": {"en": "in {days} days", "zh": "{days} 天后"},
    "span_day": {"en": "1 day", "zh": "1 天"},
    "span_days": {"en": "{days} days", "zh": "{days} 天"},
    "why_no_due": {"en": "no due date", "zh": "未设截止日期"},
    "why_done": {"en": "done", "zh": "已完成"},
    "why_cancelled": {"en": "cancelled", "zh": "已取消"},
    # --- actions ---
    "action_start": {"en": "Start", "zh": "开始"},
    "action_done": {"en": "Done", "zh": "完成"},
    "action_block": {"en": "Blocked", "zh": "阻塞"},
    "action_unblock": {"en": "Unblock", "zh": "解除阻塞"},
    "action_snooze": {"en": "Snooze 1 day", "zh": "推迟1天"},
    "action_reopen": {"en": "Reopen", "zh": "重开"},
    # --- settings ---
    "settings_title": {"en": "Channel settings", "zh": "频道设置"},
    "setting_tz": {"en": "Time zone", "zh": "时区"},
    "setting_lang": {"en": "Language", "zh": "语言"},
    "setting_remind": {"en": "Morning reminder", "zh": "早间提醒"},
    # --- a truer, quieter digest (issue 11) ---
    "why_not_started": {"en": "not started yet, starts {when}", "zh": "尚未开始，{when}开始"},
    "why_short": {"en": "a short task, due {when}", "zh": "短任务，{when}截止"},
    "why_new": {"en": "added today, due {when}", "zh": "今天新建，{when}截止"},
    "digest_done_late": {"en": "{span} late", "zh": "晚了 {span}"},
    "digest_ask_reason_title": {"en": "Reasons, please", "zh": "请补充原因"},
    "digest_ask_reason": {
        "en": "{who}: these red or yellow items have no reason yet: {tasks}. What is in the way? Reply with `block <task> <reason> cause:<category>`, or move it on.",
        "zh": "{who}：以下红灯、黄灯任务还没有说明原因：{tasks}。卡在哪里？回复 `阻塞 <编号> <原因> 原因:<类别>`，或推进任务。",
    },
    "setting_digest": {"en": "Weekly digest", "zh": "每周周报"},
    "settings_hint": {
        "en": "Change with `settings tz Asia/Shanghai`, `settings lang zh`, `settings remind 09:00 mon-fri`, `settings digest mon 10:00`, `settings holidays cn`; `help settings` lists all.",
        "zh": "修改方法：`设置 时区 Asia/Shanghai`、`设置 语言 英文`、`设置 提醒 09:00 周一至周五`、`设置 周报 周一 10:00`、`设置 节假日 cn`；`帮助 设置` 查看全部。",
    },
    "tz_set": {"en": "Time zone set to {tz}", "zh": "时区已设为 {tz}"},
    "tz_now": {"en": "It is {time} here now.", "zh": "当前本地时间 {time}。"},
    "lang_set": {"en": "I'll reply in English here.", "zh": "本频道将使用中文回复。"},
    "lang_name_en": {"en": "English", "zh": "英文"},
    "lang_name_zh": {"en": "Chinese", "zh": "中文"},
    # --- the morning reminder and the weekly digest ---
    "remind_title": {
        "en": "Morning check · {day}: {overdue} overdue, {today} due today",
        "zh": "早间提醒 · {day}：逾期 {overdue} 项，今天截止 {today} 项",
    },
    "remind_owner": {"en": "{who} · {n}", "zh": "{who} · {n} 项"},
    "remind_late": {"en": "{span} late", "zh": "逾期 {span}"},
    "remind_all_clear": {
        "en": "Morning check · {day}: nothing overdue, nothing due today. 🎉",
        "zh": "早间提醒 · {day}：没有逾期，也没有今天截止的任务。🎉",
    },
    "preview_title": {"en": "Preview", "zh": "预览"},
    "preview_note": {
        "en": "(a preview: this is what the scheduler would post here now)",
        "zh": "（预览：这是此刻定时任务会在这里发送的内容）",
    },
    "no_project": {"en": "no project", "zh": "未归属项目"},
    "digest_title": {
        "en": "Weekly stand-up · {first} – {last}",
        "zh": "每周站会 · {first} – {last}",
    },
    "digest_counts": {
        "en": "✅ {done} done · 🆕 {new} new · ⏰ {overdue} overdue · ⛔ {blocked} blocked",
        "zh": "✅ 完成 {done} · 🆕 新增 {new} · ⏰ 逾期 {overdue} · ⛔ 阻塞 {blocked}",
    },
    "digest_empty": {
        "en": "No open tasks and nothing finished this week.",
        "zh": "本周没有进行中的任务，也没有完成的任务。",
    },
    "project_red": {"en": "{n} red: {tasks}", "zh": "{n} 项红灯：{tasks}"},
    "project_yellow": {"en": "{n} yellow: {tasks}", "zh": "{n} 项黄灯：{tasks}"},
    "project_green": {"en": "on track ({n} open)", "zh": "进展正常（{n} 项进行中）"},
    "digest_attention": {"en": "Needs attention:", "zh": "需要关注："},
    "digest_done": {"en": "Done this week ({n}):", "zh": "本周完成（{n}）："},
    "digest_slipped": {"en": "Slipped ({n}):", "zh": "延期（{n}）："},
    "slipped_moved": {"en": "due moved {old} → {new}", "zh": "截止日期 {old} → {new}"},
    "slipped_missed": {"en": "missed its due date {due}", "zh": "错过截止日期 {due}"},
    "digest_quiet": {
        "en": "No update in 7 days from: {who}",
        "zh": "7 天没有更新：{who}",
    },
    "digest_nothing": {"en": "Nothing to report.", "zh": "没有需要汇报的内容。"},
    "setting_holidays": {"en": "Skips public holidays of", "zh": "跳过节假日"},
    "setting_all_clear": {"en": "All-clear when nothing is due", "zh": "无逾期时也发提醒"},
    "on": {"en": "on", "zh": "开"},
    "off": {"en": "off", "zh": "关"},
    "remind_set": {
        "en": "Morning reminder: {time} on {days}, {tz} time.",
        "zh": "早间提醒：{days} {time}（{tz}）。",
    },
    "remind_off": {"en": "Morning reminder is off.", "zh": "已关闭早间提醒。"},
    "digest_set": {
        "en": "Weekly digest: {day} {time}, {tz} time.",
        "zh": "每周周报：{day} {time}（{tz}）。",
    },
    "digest_off": {"en": "Weekly digest is off.", "zh": "已关闭每周周报。"},
    "holidays_set": {
        "en": "Reminders skip the public holidays of {country} and run on its working weekends.",
        "zh": "提醒将跳过 {country} 的法定节假日，并在调休上班日照常发送。",
    },
    "holidays_off": {"en": "Reminders follow the weekdays only.", "zh": "提醒只按星期几发送。"},
    "all_clear_set": {
        "en": "All-clear reminders: {state}.",
        "zh": "无逾期提醒：{state}。",
    },
    "bad_time": {
        "en": "“{value}” is not a time of day. Use 24-hour time, e.g. `09:00` or `17:30`.",
        "zh": "“{value}”不是有效的时间，请用 24 小时制，例如 `09:00` 或 `17:30`。",
    },
    "bad_days": {
        "en": "“{value}” is not a set of weekdays. E.g. `mon-fri`, `mon,wed,fri` or `daily`.",
        "zh": "“{value}”不是有效的星期，例如 `周一至周五`、`周一,周三,周五` 或 `每天`。",
    },
    "bad_day": {
        "en": "“{value}” is not a weekday. E.g. `settings digest mon 10:00`.",
        "zh": "“{value}”不是星期几，例如 `设置 周报 周一 10:00`。",
    },
    "bad_country": {
        "en": "I have no public-holiday calendar for “{value}”. Use a country code such as `cn`, `us`, `gb`, or `off`.",
        "zh": "没有“{value}”的节假日日历。请使用国家代码，例如 `cn`、`us`、`gb`，或 `关`。",
    },
    "bad_on_off": {"en": "Say `on` or `off`.", "zh": "请回复 `开` 或 `关`。"},
    "settings_remind_missing": {
        "en": "When? `settings remind 09:00`, `settings remind 09:00 mon-fri` or `settings remind off`.",
        "zh": "几点提醒？`设置 提醒 09:00`、`设置 提醒 09:00 周一至周五` 或 `设置 提醒 关`。",
    },
    "settings_digest_missing": {
        "en": "When? `settings digest mon 10:00` or `settings digest off`.",
        "zh": "什么时候发周报？`设置 周报 周一 10:00` 或 `设置 周报 关`。",
    },
    "settings_holidays_missing": {
        "en": "Which country's holidays? `settings holidays cn` or `settings holidays off`.",
        "zh": "按哪个国家的节假日？`设置 节假日 cn` 或 `设置 节假日 关`。",
    },
    "settings_allclear_missing": {
        "en": "`settings allclear on` or `settings allclear off`.",
        "zh": "`设置 无逾期提示 开` 或 `设置 无逾期提示 关`。",
    },
    "help_remind": {
        "en": "`remind` — preview this channel's morning reminder: what is overdue or due today, by owner.",
        "zh": "`提醒` — 预览本频道的早间提醒：逾期和今天截止的任务，按负责人分组。",
    },
    "help_digest": {
        "en": "`digest` — preview this channel's weekly stand-up: counts, each project's light and why, what slipped.",
        "zh": "`周报` — 预览本频道的每周站会周报：统计、各项目状态灯及原因、延期事项。",
    },
    # --- help ---
    "help_title": {"en": "Paceline commands", "zh": "Paceline 指令"},
    "help_footer": {
        "en": "Tokens: @person · +project · #12 or 12 for a task · due:fri or a phrase like `tomorrow`, `next mon`, `in 3 days`, `Dec 1`. `help <command>` for more.",
        "zh": "写法：@某人 · +项目 · 任务编号 12 或 #12 · 截止日期写 `截止:周五` 或 `明天`、`下周一`、`3天后`、`12月1日`。发送 `帮助 <指令>` 查看详情。",
    },
    "help_aliases": {"en": "Also: {aliases}", "zh": "也可以写：{aliases}"},
    "help_add": {
        "en": "`add <title> [@owner] [+project] [due:<date>] [start:<date>]` — new task. E.g. `add Write warm-up copy @alice due:fri +double11`",
        "zh": "`新建 <标题> [@负责人] [+项目] [截止:<日期>] [开始:<日期>]` — 新建任务。例如 `新建 写预热文案 @张三 周五前 +双11`",
    },
    "help_list": {
        "en": "`list [mine|overdue|blocked|today|done|all] [@person] [+project]` — tasks with their lights. E.g. `list overdue +double11`",
        "zh": "`列表 [我的|逾期|阻塞|今天|已完成|全部] [@某人] [+项目]` — 带状态灯的任务列表。例如 `列表 阻塞 +双11`",
    },
    "help_show": {
        "en": "`show <task>` — details, blocker and history. E.g. `show 12`",
        "zh": "`查看 <编号>` — 任务详情、阻塞和变更记录。例如 `查看 12`",
    },
    "help_start": {
        "en": "`start <task>` — mark in progress. E.g. `start 12`",
        "zh": "`开始 <编号>` — 标记为进行中。例如 `开始 12`",
    },
    "help_done": {
        "en": "`done <task> [note]` — mark done. E.g. `done 12 shipped to design`",
        "zh": "`完成 <编号> [备注]` — 标记完成。例如 `完成 12 已交付设计`",
    },
    "help_cancel": {
        "en": "`cancel <task> [reason]` — drop a task. E.g. `cancel 12 merged into #9`",
        "zh": "`取消 <编号> [原因]` — 取消任务。例如 `取消 12 已并入 #9`",
    },
    "help_reopen": {
        "en": "`reopen <task> [note]` — bring back a done or cancelled task. E.g. `reopen 12`",
        "zh": "`重开 <编号> [备注]` — 重新打开已完成或已取消的任务。例如 `重开 12`",
    },
    "help_progress": {
        "en": "`progress <task> <0-100>%` — how far along it is. E.g. `progress 12 60%`",
        "zh": "`进度 <编号> <0-100>%` — 更新进度。例如 `进度 12 60%`",
    },
    "help_block": {
        "en": "`block <task> <reason> [cause:<category>]` — report a blocker. Categories: resources, dependency, approval, scope, technical, external, communication, other. E.g. `block 12 design resources short cause:resources`",
        "zh": "`阻塞 <编号> <原因> [原因:<类别>]` — 报告阻塞。类别：资源、依赖、审批、需求、技术、外部、沟通、其他。例如 `阻塞 12 设计资源不足 原因:资源`",
    },
    "help_unblock": {
        "en": "`unblock <task> [note]` — clear the blocker. E.g. `unblock 12 designer freed up`",
        "zh": "`解除 <编号> [备注]` — 解除阻塞。例如 `解除 12 设计已到位`",
    },
    "help_assign": {
        "en": "`assign <task> @person|me|none` — change the owner. E.g. `assign 12 @bob`",
        "zh": "`指派 <编号> @某人|我|无` — 更换负责人。例如 `指派 12 @李四`",
    },
    "help_due": {
        "en": "`due <task> <date>|none` — change the due date. E.g. `due 12 next monday`",
        "zh": "`截止 <编号> <日期>|无` — 修改截止日期。例如 `截止 12 下周一`",
    },
    "help_snooze": {
        "en": "`snooze <task> [days]` — push the due date back (1 day by default). E.g. `snooze 12 3d`",
        "zh": "`推迟 <编号> [天数]` — 把截止日期往后推（默认一天）。例如 `推迟 12 3天`",
    },
    "help_role": {
        "en": "`role [@person] [admin|manager|member|viewer]` — see someone's role, or (admins) set it. E.g. `role @bob manager`",
        "zh": "`角色 [@某人] [管理员|管理者|成员|观察者]` — 查看某人的角色，或（管理员）设置角色。例如 `角色 @李四 管理者`",
    },
    "help_roles": {
        "en": "`roles` — who is an admin, a manager or a viewer here (members change their own tasks, managers any task, viewers only read).",
        "zh": "`角色列表` — 本工作区的管理员、管理者和观察者（成员修改自己的任务，管理者可修改任何任务，观察者只读）。",
    },
    "help_settings": {
        "en": "`settings [tz <zone> | lang en|zh | remind 09:00 [mon-fri]|off | digest mon 10:00|off | holidays cn|off | allclear on|off]` — this channel's settings. E.g. `settings tz Asia/Shanghai`",
        "zh": "`设置 [时区 <时区名> | 语言 中文|英文 | 提醒 09:00 [周一至周五]|关 | 周报 周一 10:00|关 | 节假日 cn|关 | 无逾期提示 开|关]` — 本频道的设置。例如 `设置 时区 Asia/Shanghai`",
    },
    "help_help": {
        "en": "`help [command]` — this list, or one command in detail.",
        "zh": "`帮助 [指令]` — 指令列表或某个指令的详细说明。",
    },
    # --- what a door says about how it answered ---
    "text_only": {
        "en": "I read text only: write the command, e.g. `list` or `help`.",
        "zh": "我只能读文字：请直接输入指令，例如 `列表` 或 `帮助`。",
    },
    "answer_continues_below": {
        "en": "…the rest follows below.",
        "zh": "……余下内容见下方。",
    },
    "answer_continues_by_app": {
        "en": "…the rest was sent to you as an app message.",
        "zh": "……余下内容已通过应用消息发给你。",
    },
    "answer_too_long": {
        "en": "…this answer is too long for one message; narrow it down, e.g. `list mine`.",
        "zh": "……内容太长，一条消息放不下；请缩小范围，例如 `列表 我的`。",
    },
    # --- issue 11: words, a new channel's language and zone, empty lists ---
    "channel_first": {
        "en": "This channel reads dates in {tz} (it is {time} here now); change it with `settings tz <zone>`. I answer in the language you write in until `settings lang en` or `settings lang zh` fixes one.",
        "zh": "本频道按 {tz} 时区理解日期（当前 {time}），可用 `设置 时区 <时区>` 修改；在 `设置 语言 中文` 或 `设置 语言 英文` 之前，我用你发指令的语言回复。",
    },
    "lang_follows": {
        "en": "{name} now (follows the language of each command until set)",
        "zh": "当前{name}（未设置，跟随每条指令的语言）",
    },
    "list_none_here": {"en": " here", "zh": "本频道"},
    "list_none_in_project": {"en": " in +{project}", "zh": "项目 +{project} 中 "},
    "list_none_for": {"en": " for {who}", "zh": "{who} 名下"},
    "list_none_for_you": {"en": " for you", "zh": "你名下"},
    "list_none_overdue": {"en": "No overdue tasks{scope}.", "zh": "{scope}没有逾期的任务。"},
    "list_none_today": {"en": "Nothing is due today{scope}.", "zh": "{scope}没有今天截止的任务。"},
    "list_none_blocked": {"en": "No blocked tasks{scope}.", "zh": "{scope}没有阻塞中的任务。"},
    "list_none_done": {"en": "No done tasks{scope}.", "zh": "{scope}没有已完成的任务。"},
    "list_none_all": {"en": "No tasks{scope}.", "zh": "{scope}没有任务。"},
    "list_none_open": {"en": "No open tasks{scope}.", "zh": "{scope}没有未完成的任务。"},
    "list_none_match": {
        "en": "No tasks{scope} match {filters}.",
        "zh": "{scope}没有符合“{filters}”的任务。",
    },
    # --- issue 12: project plans (`project new|show|list|edit|close|reopen`) ---
    "help_project": {
        "en": '`project new <name> [<start>..<end>] [goal:"…"] [buffer:20%] [@owner]` · `project +<name>` · `project list` · `project edit +<name> [end:<date>] [goal:"…"] [buffer:25%] [@owner]` · `project close|reopen +<name>` — campaign plans. E.g. `project new 双11大促 2026-11-01..2026-12-10 goal:"直播 GMV 500万" @王芳`',
        "zh": '`项目 新建 <名称> [<开始>..<结束>] [目标:"…"] [缓冲:20%] [@负责人]` · `项目 +<名称>` · `项目列表` · `项目 编辑 +<名称> [结束:<日期>] [目标:"…"] [缓冲:25%] [@负责人]` · `项目 关闭|重开 +<名称>` — 活动计划。例如 `项目 新建 双11大促 2026-11-01..2026-12-10 目标:"直播 GMV 500万" @王芳`',
    },
    "project_action_bad": {
        "en": "“{value}” is not a project command. Use new, show, list, edit, close or reopen, e.g. `project new 双11大促 2026-11-01..2026-12-10` or `project show +双11大促`.",
        "zh": "“{value}”不是项目指令。可用：新建、查看、列表、编辑、关闭、重开，例如 `项目 新建 双11大促 2026-11-01..2026-12-10` 或 `项目 查看 +双11大促`。",
    },
    "project_new_no_name": {
        "en": 'Which project? Give its name first, e.g. `{verb} new 双11大促 2026-11-01..2026-12-10 goal:"GMV 500万"` (quote a name with spaces: `"Spring launch"`).',
        "zh": '项目叫什么？请先写名称，例如 `{verb} 新建 双11大促 2026-11-01..2026-12-10 目标:"GMV 500万"`（名称带空格请加引号：`"春季发布"`）。',
    },
    "project_show_no_name": {
        "en": "Which project? E.g. `{verb} show +双11大促`.",
        "zh": "是哪个项目？例如 `{verb} 查看 +双11大促`。",
    },
    "project_edit_no_name": {
        "en": "Which project? E.g. `{verb} edit +双11大促 end:12-15`.",
        "zh": "是哪个项目？例如 `{verb} 编辑 +双11大促 结束:12-15`。",
    },
    "project_close_no_name": {
        "en": "Which project? E.g. `{verb} close +双11大促`.",
        "zh": "是哪个项目？例如 `{verb} 关闭 +双11大促`。",
    },
    "project_reopen_no_name": {
        "en": "Which project? E.g. `{verb} reopen +双11大促`.",
        "zh": "是哪个项目？例如 `{verb} 重开 +双11大促`。",
    },
    "project_extra": {
        "en": 'I don\'t know what “{value}” means here. A name with spaces goes in quotes, dates as a range, the rest as keys, e.g. `{verb} new "Spring launch" 2027-03-01..2027-04-15 goal:"10k sign-ups" buffer:20% @alice`.',
        "zh": '这里的“{value}”看不懂。名称带空格请加引号，日期写成区间，其他用键值，例如 `{verb} 新建 双11大促 2026-11-01..2026-12-10 目标:"GMV 500万" 缓冲:20% @王芳`。',
    },
    "project_quote_open": {
        "en": 'The quote in “{value}” is never closed: close it, e.g. `goal:"10k sign-ups"`.',
        "zh": "“{value}”里的引号没有闭合，请补上，例如 `目标:“直播 GMV 500万”`。",
    },
    "project_name_bad": {
        "en": "“{value}” cannot be a project name: it needs a letter, e.g. `双11大促` or `spring-launch`.",
        "zh": "“{value}”不能做项目名称：至少要有一个文字，例如 `双11大促` 或 `spring-launch`。",
    },
    "project_buffer_bad": {
        "en": "“{value}” is not a buffer: give a share of the project from 0% to {limit}%, e.g. `buffer:20%`.",
        "zh": "“{value}”不是有效的缓冲：请写项目时长的 0% 到 {limit}%，例如 `缓冲:20%`。",
    },
    "project_date_bad": {
        "en": "I couldn't read the date “{phrase}”. Try `2026-12-10`, `12-10`, `Dec 10` or a range `2026-11-01..2026-12-10`.",
        "zh": "看不懂日期“{phrase}”。可以写 `2026-12-10`、`12-10`、`12月10日`，或区间 `2026-11-01..2026-12-10`。",
    },
    "project_range_bad": {
        "en": "“{value}” is not a date range: write start..end, e.g. `2026-11-01..2026-12-10` (also `~` or `至`).",
        "zh": "“{value}”不是日期区间：请写 开始..结束，例如 `2026-11-01..2026-12-10`（也可用 `~` 或 `至`）。",
    },
    "project_end_before_start": {
        "en": "The end {end} is before the start {start}: the end must come after it, e.g. `2026-11-01..2026-12-10`.",
        "zh": "结束日期 {end} 早于开始日期 {start}：结束必须在开始之后，例如 `2026-11-01..2026-12-10`。",
    },
    "project_date_rolled": {
        "en": "Note: “{phrase}” has already passed this year, so it is read as {day}. If you meant {past}, write the year.",
        "zh": "注意：“{phrase}” 今年已过，按 {day} 计；若是指 {past}，请写上年份。",
    },
    "project_key_twice": {
        "en": '“{word}” is given twice: say each of dates, goal and buffer once, e.g. `goal:"GMV 500万" buffer:20%`.',
        "zh": '“{word}”写了两次：日期、目标、缓冲各写一次即可，例如 `目标:"GMV 500万" 缓冲:20%`。',
    },
    "project_goal_empty": {
        "en": 'The goal is empty: say what counts as success, e.g. `{verb} new 双11大促 goal:"直播 GMV 500万"`.',
        "zh": '目标是空的：请写清楚什么算成功，例如 `{verb} 新建 双11大促 目标:"直播 GMV 500万"`。',
    },
    "project_goal_too_long": {
        "en": "The goal is {length} characters; keep it under {limit}: one measurable sentence.",
        "zh": "目标有 {length} 个字符，请控制在 {limit} 以内：一句可衡量的话即可。",
    },
    "project_edit_nothing": {
        "en": 'Edit what of +{project}? E.g. `{verb} edit +{project} end:12-15 goal:"GMV 500万" buffer:25% @alice`.',
        "zh": '要修改 +{project} 的什么？例如 `{verb} 编辑 +{project} 结束:12-15 目标:"GMV 500万" 缓冲:25% @王芳`。',
    },
    "project_exists": {
        "en": "+{project} is already a plan: see it with `project show +{project}`, change it with `project edit +{project} …`.",
        "zh": "+{project} 已经是一个计划：用 `项目 +{project}` 查看，用 `项目 编辑 +{project} …` 修改。",
    },
    "project_not_found": {
        "en": "There is no project +{project}. `project list` shows them; `project new {project} …` plans one.",
        "zh": "没有项目 +{project}。`项目列表` 可查看全部；`项目 新建 {project} …` 可新建。",
    },
    "project_not_plan": {
        "en": '+{project} is a tag, not a plan yet: `project new +{project} 2026-11-01..2026-12-10 goal:"…"` plans it (its tasks stay).',
        "zh": '+{project} 还只是标签，不是计划：`项目 新建 +{project} 2026-11-01..2026-12-10 目标:"…"` 即可升级为计划（任务保留）。',
    },
    "project_already_closed": {
        "en": "+{project} is already closed; `project reopen +{project}` opens it again.",
        "zh": "+{project} 已经关闭；`项目 重开 +{project}` 可重新打开。",
    },
    "project_not_closed": {
        "en": "+{project} is not closed, so there is nothing to reopen.",
        "zh": "+{project} 没有关闭，无需重开。",
    },
    "project_hint_no_goal": {
        "en": 'Hint: the plan has no goal yet; add one you can measure, e.g. `goal:"10k sign-ups"`.',
        "zh": '提示：计划还没有目标；请加一个可衡量的目标，例如 `目标:"直播 GMV 500万"`。',
    },
    "project_hint_no_number": {
        "en": "Hint: the goal has no number to measure (e.g. 10k sign-ups).",
        "zh": "提示：目标里没有可衡量的数字（例如 GMV 500万）。",
    },
    "project_hint_no_end": {
        "en": "Hint: the plan has no end date; give one, e.g. `end:12-10` (a goal needs a deadline).",
        "zh": "提示：计划没有结束日期；请补上，例如 `结束:12-10`（目标需要期限）。",
    },
    "project_planned": {"en": "Project +{project} planned", "zh": "项目 +{project} 已建立计划"},
    "project_edited": {"en": "Project +{project} updated", "zh": "项目 +{project} 已更新"},
    "project_closed": {"en": "Project +{project} closed", "zh": "项目 +{project} 已关闭"},
    "project_reopened": {"en": "Project +{project} reopened", "zh": "项目 +{project} 已重新打开"},
    "project_upgraded": {
        "en": "+{project} was a tag; it is a plan now, and its {tasks} task(s) stay in it.",
        "zh": "+{project} 原是标签，现已升级为计划，其下 {tasks} 个任务保留不变。",
    },
    "project_tag_form": {
        "en": "Tasks join it with `+{tag}` (e.g. `add Poster +{tag}`).",
        "zh": "任务带上 `+{tag}` 即归入该项目（例如 `新建 海报 +{tag}`）。",
    },
    "project_close_keeps": {
        "en": "Nothing was deleted: its tasks, dates and goal stay for the retrospective; `project reopen +{project}` undoes.",
        "zh": "没有删除任何内容：任务、日期和目标都保留，供复盘使用；`项目 重开 +{project}` 可撤销。",
    },
    "project_is_tag": {
        "en": '+{project} is a tag, not a plan yet: `project new +{project} 2026-11-01..2026-12-10 goal:"…"` plans it (its tasks stay).',
        "zh": '+{project} 还只是标签：`项目 新建 +{project} 2026-11-01..2026-12-10 目标:"…"` 即可升级为计划（任务保留）。',
    },
    "project_field_status": {"en": "Status", "zh": "状态"},
    "project_field_dates": {"en": "Dates", "zh": "时间"},
    "project_field_goal": {"en": "Goal", "zh": "目标"},
    "project_field_owner": {"en": "Owner", "zh": "负责人"},
    "project_field_buffer": {"en": "Buffer", "zh": "缓冲"},
    "project_field_tasks": {"en": "Tasks", "zh": "任务"},
    "project_field_lights": {"en": "Lights", "zh": "状态灯"},
    "project_status_open": {"en": "open", "zh": "进行中"},
    "project_status_closed": {"en": "closed on {day}", "zh": "已于 {day} 关闭"},
    "project_dates": {
        "en": "{start} – {end} ({days} days)",
        "zh": "{start} 至 {end}（共 {days} 天）",
    },
    "project_dates_from": {"en": "from {start}, no end date", "zh": "{start} 起，未定结束日期"},
    "project_dates_until": {"en": "until {end}", "zh": "截至 {end}"},
    "project_dates_none": {"en": "no dates yet", "zh": "尚未设定日期"},
    "project_goal_none": {"en": "no goal yet", "zh": "尚未设定目标"},
    "project_tasks": {"en": "{open} open · {done} done", "zh": "进行中 {open} · 已完成 {done}"},
    "project_lights": {
        "en": "🔴 {red} · 🟡 {yellow} · 🟢 {green}",
        "zh": "🔴 红 {red} · 🟡 黄 {yellow} · 🟢 绿 {green}",
    },
    "project_lights_none": {"en": "no open tasks", "zh": "没有进行中的任务"},
    "project_list_title": {"en": "Projects", "zh": "项目列表"},
    "project_list_empty": {
        "en": 'No projects yet. Plan one: `project new 双11大促 2026-11-01..2026-12-10 goal:"GMV 500万"`.',
        "zh": '还没有项目。新建一个：`项目 新建 双11大促 2026-11-01..2026-12-10 目标:"GMV 500万"`。',
    },
    "project_list_plan": {
        "en": "+{project} · {dates} · owner {owner}",
        "zh": "+{project} · {dates} · 负责人 {owner}",
    },
    "project_list_tag": {
        "en": "+{project} · tag (not planned)",
        "zh": "+{project} · 标签（未建计划）",
    },
    "project_list_closed": {"en": " · closed", "zh": " · 已关闭"},
    "project_list_more": {
        "en": "…and {more} more projects.",
        "zh": "……还有 {more} 个项目。",
    },
    # --- phases (handlers/phases.py) ---
    "pace_why_kpi_red": {
        "en": "KPI {kpi} {label}at {pace}% of pace (under 80%)",
        "zh": "指标 {kpi} {label}进度 {pace}%（低于 80%）",
    },
    "pace_why_kpi_yellow": {
        "en": "KPI {kpi} {label}at {pace}% of pace (under 100%)",
        "zh": "指标 {kpi} {label}进度 {pace}%（低于 100%）",
    },
    # --- KPIs (handlers/kpis.py) ---
    "pace_why_buffer_gone": {
        "en": "buffer gone: {used}% used ({days} of {buffer} days)",
        "zh": "缓冲已用尽：已用 {used}%（{buffer} 天中的 {days} 天）",
    },
    "pace_why_buffer_half": {
        "en": "buffer over half used: {used}% ({days} of {buffer} days)",
        "zh": "缓冲已用过半：{used}%（{buffer} 天中的 {days} 天）",
    },
    # --- plan lights, portfolio, board (handlers/projects.py, handlers/portfolio.py) ---
    "pace_why_red_tasks": {
        "en": "{count} red task(s); KPIs and buffer on track",
        "zh": "{count} 项任务红灯；指标与缓冲正常",
    },
    "pace_why_green": {
        "en": "KPIs on pace, buffer held, no red task",
        "zh": "指标达标、缓冲充足、无红灯任务",
    },
    # --- digest project lines, demo (handlers/reports.py, bot/cli.py) ---
    "digest_plan_phase": {"en": "phase {phase}", "zh": "阶段 {phase}"},
    "digest_plan_no_phase": {"en": "no phase running", "zh": "无进行中的阶段"},
    "digest_plan_kpi": {
        "en": "{kpi} {label}at {pace}% of pace",
        "zh": "{kpi} {label}进度 {pace}%",
    },
    "digest_plan_no_kpi": {"en": "no KPI paced yet", "zh": "暂无指标进度"},
    "digest_plan_buffer": {
        "en": "buffer {used}% used ({days} of {buffer} days)",
        "zh": "缓冲已用 {used}%（{buffer} 天中的 {days} 天）",
    },
    "digest_plan_no_buffer": {"en": "no end date, no buffer", "zh": "没有结束日期，无缓冲"},
    "digest_field_phase": {"en": "Phase", "zh": "阶段"},
    "digest_field_kpi": {"en": "Worst KPI", "zh": "最落后指标"},
    "digest_field_buffer": {"en": "Buffer", "zh": "缓冲"},
    "digest_remedy": {
        "en": "{kpi} {label}at {pace}% of pace — remedy: {remedy}",
        "zh": "{kpi} {label}进度 {pace}% —— 补救：{remedy}",
    },
    "digest_remedy_move": {
        "en": "{kpi}: {behind} at {behind_pace}% of pace, {ahead} at {ahead_pace}% — "
        "move resources from {ahead} to {behind}",
        "zh": "{kpi}：{behind} 进度 {behind_pace}%，{ahead} 进度 {ahead_pace}% —— "
        "建议把资源从 {ahead} 调往 {behind}",
    },
    "digest_remedy_none": {
        "en": "{kpi} {label}at {pace}% of pace and no remedy yet: set one with "
        '`kpi {kpi} remedy:"…"`',
        "zh": '{kpi} {label}进度 {pace}%，还没有补救措施：用 `指标 {kpi} remedy:"…"` 设置',
    },
}

_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


def t(lang: str, key: str, **params: object) -> str:
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**params) if params else text


def fmt_date(lang: str, day: date, today: date | None = None) -> str:
    weekday = _WEEKDAYS[lang if lang in _WEEKDAYS else "en"][day.weekday()]
    same_year = today is None or day.year == today.year
    if lang == "zh":
        prefix = "" if same_year else f"{day.year}年"
        return f"{prefix}{day.month}月{day.day}日 {weekday}"
    suffix = "" if same_year else f" {day.year}"
    return f"{weekday} {day.strftime('%b')} {day.day}{suffix}"

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
        "en": "`settings [tz <zone> | lang en|zh | remind 09:00 [mon-fri]|off | digest mon 10:00|off | holidays cn|off | allclear on|off | charts on|off | api-token [revoke] | dashboard on|off]` — this channel's settings (an API token and the dashboard: admins, the whole workspace). E.g. `settings tz Asia/Shanghai`",
        "zh": "`设置 [时区 <时区名> | 语言 中文|英文 | 提醒 09:00 [周一至周五]|关 | 周报 周一 10:00|关 | 节假日 cn|关 | 无逾期提示 开|关 | 图表 开|关 | api-token [撤销] | 仪表盘 开|关]` — 本频道的设置（API 令牌和仪表盘：仅管理员，作用于整个工作区）。例如 `设置 时区 Asia/Shanghai`",
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
    "help_phase": {
        "en": '`phase add +<plan> <name> <start>..<end> [@owner] [deliverable:"…"]` · `phase edit +<plan> <name> [end:<date>] [@owner] [name:<new>] [deliverable:"…"]` · `phase remove +<plan> <name>` · `phase +<plan>` — a plan\'s phases. E.g. `phase add +双11大促 预热期 11-01..11-15 @张三 deliverable:"预热素材全部上线"`',
        "zh": '`阶段 添加 +<计划> <名称> <开始>..<结束> [@负责人] [交付物:"…"]` · `阶段 编辑 +<计划> <名称> [结束:<日期>] [@负责人] [名称:<新名称>] [交付物:"…"]` · `阶段 删除 +<计划> <名称>` · `阶段 +<计划>` — 计划的阶段。例如 `阶段 添加 +双11大促 预热期 11-01..11-15 @张三 交付物:"预热素材全部上线"`',
    },
    "help_task": {
        "en": "`task <number> phase:<phase>` · `task <number> +<plan> phase:<phase>` · `task <number> phase:none` — put a task in a phase of its plan (or take it out). E.g. `task 12 phase:爆发期`",
        "zh": "`任务 <编号> 阶段:<阶段>` · `任务 <编号> +<计划> 阶段:<阶段>` · `任务 <编号> 阶段:无` — 把任务放进所属计划的某个阶段（或移出）。例如 `任务 12 阶段:爆发期`",
    },
    "phase_action_bad": {
        "en": "“{value}” is not a phase command. Use add, edit, remove or list, e.g. `phase add +双11大促 预热期 11-01..11-15` or `phase +双11大促`.",
        "zh": "“{value}”不是阶段指令。可用：添加、编辑、删除、列表，例如 `阶段 添加 +双11大促 预热期 11-01..11-15` 或 `阶段 +双11大促`。",
    },
    "phase_add_no_project": {
        "en": "Which plan is the phase of? Name it with +, e.g. `{verb} add +双11大促 预热期 11-01..11-15 @张三`.",
        "zh": "这个阶段属于哪个计划？请用 + 写明，例如 `{verb} 添加 +双11大促 预热期 11-01..11-15 @张三`。",
    },
    "phase_edit_no_project": {
        "en": "Which plan is the phase of? Name it with +, e.g. `{verb} edit +双11大促 预热期 end:11-16`.",
        "zh": "这个阶段属于哪个计划？请用 + 写明，例如 `{verb} 编辑 +双11大促 预热期 结束:11-16`。",
    },
    "phase_remove_no_project": {
        "en": "Which plan is the phase of? Name it with +, e.g. `{verb} remove +双11大促 预热期`.",
        "zh": "这个阶段属于哪个计划？请用 + 写明，例如 `{verb} 删除 +双11大促 预热期`。",
    },
    "phase_list_no_project": {
        "en": "Which plan's phases? E.g. `{verb} +双11大促`.",
        "zh": "要看哪个计划的阶段？例如 `{verb} +双11大促`。",
    },
    "phase_add_no_name": {
        "en": "What is the phase called? E.g. `{verb} add +{project} 预热期 11-01..11-15`.",
        "zh": "阶段叫什么？例如 `{verb} 添加 +{project} 预热期 11-01..11-15`。",
    },
    "phase_edit_no_name": {
        "en": "Which phase of +{project}? E.g. `{verb} edit +{project} 预热期 end:11-16`.",
        "zh": "是 +{project} 的哪个阶段？例如 `{verb} 编辑 +{project} 预热期 结束:11-16`。",
    },
    "phase_remove_no_name": {
        "en": "Which phase of +{project}? E.g. `{verb} remove +{project} 预热期`.",
        "zh": "是 +{project} 的哪个阶段？例如 `{verb} 删除 +{project} 预热期`。",
    },
    "phase_one_project": {
        "en": "A phase belongs to one plan, but I see +{first} and “{second}”. Pick one.",
        "zh": "一个阶段只属于一个计划，这里有 +{first} 和“{second}”。请选一个。",
    },
    "phase_key_twice": {
        "en": '“{word}” is given twice: say each of dates, owner, deliverable and name once, e.g. `11-01..11-15 deliverable:"…"`.',
        "zh": '“{word}”写了两次：日期、负责人、交付物、名称各写一次即可，例如 `11-01..11-15 交付物:"…"`。',
    },
    "phase_extra": {
        "en": 'I don\'t know what “{value}” means here. A phase is one word, dates a range, the rest keys, e.g. `{verb} add +双11大促 预热期 11-01..11-15 @张三 deliverable:"预热素材全部上线"`.',
        "zh": '这里的“{value}”看不懂。阶段名是一个词，日期写成区间，其他用键值，例如 `{verb} 添加 +双11大促 预热期 11-01..11-15 @张三 交付物:"预热素材全部上线"`。',
    },
    "phase_name_bad": {
        "en": "“{value}” cannot be a phase name: one word with a letter in it, without = , : or ; (e.g. `预热期` or `warm-up`).",
        "zh": "“{value}”不能做阶段名称：需是一个含文字的词，不能带 = , : ;（例如 `预热期` 或 `warm-up`）。",
    },
    "one_phase": {
        "en": "“{word}:” is given twice: a task is in one phase, e.g. `phase:预热期`.",
        "zh": "“{word}:”写了两次：一个任务只属于一个阶段，例如 `阶段:预热期`。",
    },
    "phase_rename_on_add": {
        "en": "`name:` renames a phase; a new phase is named by its first word, e.g. `{verb} add +双11大促 预热期 11-01..11-15`.",
        "zh": "`名称:` 用于给阶段改名；新阶段的名称直接写在前面，例如 `{verb} 添加 +双11大促 预热期 11-01..11-15`。",
    },
    "phase_deliverable_empty": {
        "en": 'The deliverable is empty: say what the phase hands over, e.g. `deliverable:"预热素材全部上线"` (`deliverable:none` clears it).',
        "zh": '交付物是空的：请写这个阶段要交付什么，例如 `交付物:"预热素材全部上线"`（`交付物:无` 可清除）。',
    },
    "phase_deliverable_too_long": {
        "en": "The deliverable is {length} characters; keep it under {limit}.",
        "zh": "交付物有 {length} 个字符，请控制在 {limit} 以内。",
    },
    "phase_edit_nothing": {
        "en": "Edit what of {phase} in +{project}? E.g. `{verb} edit +{project} {phase} end:11-16 @李四 name:新名称`.",
        "zh": "要修改 +{project} 的 {phase} 的什么？例如 `{verb} 编辑 +{project} {phase} 结束:11-16 @李四 名称:新名称`。",
    },
    "phase_exists": {
        "en": "+{project} already has a phase {phase}: change it with `phase edit +{project} {phase} …`.",
        "zh": "+{project} 已经有阶段 {phase}：用 `阶段 编辑 +{project} {phase} …` 修改。",
    },
    "phase_unknown": {
        "en": "+{project} has no phase “{phase}”. Its phases: {phases}.",
        "zh": "+{project} 没有阶段“{phase}”。它的阶段有：{phases}。",
    },
    "phase_unknown_none": {
        "en": "+{project} has no phases yet, so not “{phase}”: plan one with `phase add +{project} {phase} 11-01..11-15`.",
        "zh": "+{project} 还没有任何阶段（没有“{phase}”）：可用 `阶段 添加 +{project} {phase} 11-01..11-15` 新建。",
    },
    "phase_project_not_plan": {
        "en": '+{project} is a tag, not a plan, so it has no phase “{phase}”: `project new +{project} 2026-11-01..2026-12-10 goal:"…"` plans it.',
        "zh": '+{project} 只是标签，不是计划，没有阶段“{phase}”：`项目 新建 +{project} 2026-11-01..2026-12-10 目标:"…"` 即可升级为计划。',
    },
    "phase_needs_project": {
        "en": "Which plan is the phase {phase} of? Add the plan too, e.g. `add Poster +双11大促 phase:{phase}`.",
        "zh": "阶段 {phase} 属于哪个计划？请一并写上计划，例如 `新建 海报 +双11大促 阶段:{phase}`。",
    },
    "phase_needs_project_task": {
        "en": "#{task} is in no plan, so it has no phase {phase}: name the plan too, e.g. `task {task} +双11大促 phase:{phase}`.",
        "zh": "#{task} 不属于任何计划，没有阶段 {phase}：请一并写上计划，例如 `任务 {task} +双11大促 阶段:{phase}`。",
    },
    "phase_date_rolled": {
        "en": "Note: {past} has already passed and is outside the plan's dates, so it is read as {day}. Write the year if you meant {past}.",
        "zh": "注意：{past} 已过且不在计划时间内，按 {day} 计；若是指 {past}，请写上年份。",
    },
    "phase_outside_plan": {
        "en": "Note: {phase} runs outside the dates of +{project} ({dates}); it is kept as given.",
        "zh": "注意：{phase} 超出了 +{project} 的时间（{dates}），已按所写保存。",
    },
    "phase_overlaps": {
        "en": "Note: {phase} overlaps {others}; phases may overlap, so check that it is meant.",
        "zh": "注意：{phase} 与 {others} 时间重叠；阶段可以重叠，请确认是否有意为之。",
    },
    "phase_added": {
        "en": "Phase {phase} added to +{project}",
        "zh": "已为 +{project} 添加阶段 {phase}",
    },
    "phase_edited": {
        "en": "Phase {phase} of +{project} updated",
        "zh": "+{project} 的阶段 {phase} 已更新",
    },
    "phase_renamed": {"en": "Renamed from {old} to {phase}.", "zh": "已由 {old} 改名为 {phase}。"},
    "phase_removed": {
        "en": "Phase {phase} removed from +{project}",
        "zh": "已从 +{project} 删除阶段 {phase}",
    },
    "phase_removed_tasks": {
        "en": "Its {count} task(s) stay in the plan, now without a phase; each one's history says it left {phase}.",
        "zh": "其下 {count} 个任务仍在计划中，只是不再属于任何阶段；每个任务的变更记录都写明已移出 {phase}。",
    },
    "phase_used_by_kpis": {
        "en": "{phase} of +{project} is not removed: KPI {kpis} is measured in it or planned by it. Change that KPI's phase or split first, then remove the phase.",
        "zh": "未删除 +{project} 的 {phase}：指标 {kpis} 按这个阶段计量或分解。请先修改该指标的阶段或分解，再删除阶段。",
    },
    "phase_list_title": {"en": "Phases of +{project}", "zh": "+{project} 的阶段"},
    "phase_list_empty": {
        "en": "+{project} has no phases yet: `phase add +{project} 预热期 11-01..11-15 @owner` plans one.",
        "zh": "+{project} 还没有阶段：`阶段 添加 +{project} 预热期 11-01..11-15 @负责人` 可新建。",
    },
    "phase_heading": {"en": "Phases ({count}):", "zh": "阶段（{count} 个）："},
    "phase_line": {
        "en": "{phase}{running} · {dates} · owner {owner}{deliverable} · {progress}",
        "zh": "{phase}{running} · {dates} · 负责人 {owner}{deliverable} · {progress}",
    },
    "phase_running": {"en": " ▶ now", "zh": " ▶ 进行中"},
    "phase_deliverable": {"en": " · deliverable: {deliverable}", "zh": " · 交付物：{deliverable}"},
    "phase_progress": {
        "en": "{done}/{total} done ({share}%) · 🔴 {red} 🟡 {yellow} 🟢 {green}",
        "zh": "已完成 {done}/{total}（{share}%） · 🔴 {red} 🟡 {yellow} 🟢 {green}",
    },
    "phase_progress_none": {"en": "no tasks yet", "zh": "还没有任务"},
    "phase_why_no_tasks": {"en": "no tasks yet", "zh": "还没有任务"},
    "phase_why_not_started": {"en": "starts {start}", "zh": "{start} 开始"},
    "phase_why_over": {
        "en": "ended {end} with {open} task(s) still open",
        "zh": "已于 {end} 结束，仍有 {open} 项任务未完成",
    },
    "phase_why_red": {"en": "{count} red task(s)", "zh": "{count} 项任务红灯"},
    "phase_why_yellow": {"en": "{count} yellow task(s)", "zh": "{count} 项任务黄灯"},
    "phase_why_behind": {
        "en": "{done}% done where {expected}% was expected by now",
        "zh": "已完成 {done}%，按时间此时应完成 {expected}%",
    },
    "phase_why_green": {"en": "on track", "zh": "进展正常"},
    "field_phase": {"en": "Phase", "zh": "阶段"},
    "task_in_phase": {"en": "#{task} is in phase {phase}.", "zh": "#{task} 属于阶段 {phase}。"},
    "task_updated": {"en": "Updated #{task}", "zh": "已更新 #{task}"},
    "task_project_set": {
        "en": "#{task} is in +{project} now.",
        "zh": "#{task} 现属于 +{project}。",
    },
    "task_phase_set": {
        "en": "#{task} is in phase {phase} now.",
        "zh": "#{task} 现属于阶段 {phase}。",
    },
    "task_phase_cleared": {
        "en": "#{task} has left phase {phase}; it is in no phase now.",
        "zh": "#{task} 已移出阶段 {phase}，现不属于任何阶段。",
    },
    "task_fields_same": {
        "en": "#{task} is already so: nothing changed.",
        "zh": "#{task} 已经是这样了，没有变化。",
    },
    "task_fields_missing": {
        "en": "Set what of #{task}? E.g. `{verb} {task} phase:爆发期` or `{verb} {task} phase:none`.",
        "zh": "要设置 #{task} 的什么？例如 `{verb} {task} 阶段:爆发期` 或 `{verb} {task} 阶段:无`。",
    },
    "task_fields_bad": {
        "en": "I don't know what “{value}” means here: `{verb} {task}` sets a task's phase (and plan), e.g. `{verb} {task} +双11大促 phase:爆发期`.",
        "zh": "这里的“{value}”看不懂：`{verb} {task}` 用于设置任务的阶段（和计划），例如 `{verb} {task} +双11大促 阶段:爆发期`。",
    },
    "task_fields_which": {
        "en": "Which task? `{verb}` takes a number first, e.g. `{verb} 12 phase:爆发期` (`list` lists the tasks).",
        "zh": "是哪个任务？`{verb}` 后面先写编号，例如 `{verb} 12 阶段:爆发期`（`列表` 可查看任务）。",
    },
    "pace_why_kpi_red": {
        "en": "KPI {kpi} {label}at {pace}% of pace (under 80%)",
        "zh": "指标 {kpi} {label}进度 {pace}%（低于 80%）",
    },
    "pace_why_kpi_yellow": {
        "en": "KPI {kpi} {label}at {pace}% of pace (under 100%)",
        "zh": "指标 {kpi} {label}进度 {pace}%（低于 100%）",
    },
    # --- KPIs (handlers/kpis.py) ---
    "help_kpi": {
        "en": '`kpi +x GMV target:500万 label:电商 phase:爆发期 plan:预热期=50万,爆发期=400万` defines a KPI (managers) · `kpi GMV 320万 label:电商` reports a number · `kpi GMV remedy:"…"` · `kpi +x` lists them · `kpi +x GMV history` · `kpi chart +x` draws them',
        "zh": '`指标 +x GMV 目标:500万 渠道:电商 阶段:爆发期 计划:预热期=50万,爆发期=400万` 定义指标（管理者）· `指标 GMV 320万 渠道:电商` 上报实际值 · `指标 GMV 对策:"…"` · `指标 +x` 列出指标 · `指标 +x GMV 历史` · `指标图 +x` 画成图',
    },
    "bad_amount": {
        "en": "“{value}” is not a number I can read. Write it like 500万, 1.2亿, 10k, 2.5m, 80% or 1,200,000.",
        "zh": "看不懂数字“{value}”。可以写 500万、1.2亿、10k、2.5m、80% 或 1,200,000。",
    },
    "kpi_usage": {
        "en": "Which KPI? e.g. `{verb} +双11大促 GMV target:500万` to define one, `{verb} GMV 320万` to report a number, `{verb} +双11大促` to list them.",
        "zh": "是哪个指标？例如 `{verb} +双11大促 GMV 目标:500万` 定义指标，`{verb} GMV 320万` 上报实际值，`{verb} +双11大促` 列出指标。",
    },
    "kpi_no_name": {
        "en": "Name the KPI first, e.g. `{verb} GMV 320万` or `{verb} +双11大促 GMV history`.",
        "zh": "请先写指标名称，例如 `{verb} GMV 320万` 或 `{verb} +双11大促 GMV 历史`。",
    },
    "kpi_extra": {
        "en": "I don't know what “{value}” means here. A label is written `label:电商`, a project `+双11大促`, e.g. `{verb} GMV 320万 label:电商`.",
        "zh": "看不懂这里的“{value}”。渠道写作 `渠道:电商`，项目写作 `+双11大促`，例如 `{verb} GMV 320万 渠道:电商`。",
    },
    "kpi_key_empty": {
        "en": "`{word}:` needs a value, e.g. `label:电商`.",
        "zh": "`{word}:` 后面需要写内容，例如 `渠道:电商`。",
    },
    "kpi_plan_bad": {
        "en": "I couldn't read the planned split “{item}”. Write phase=amount pairs, e.g. `plan:预热期=50万,爆发期=400万,长尾期=50万`.",
        "zh": "看不懂计划分配“{item}”。请写成 阶段=数值，例如 `计划:预热期=50万,爆发期=400万,长尾期=50万`。",
    },
    "kpi_plan_twice": {
        "en": "The phase {phase} appears twice in the plan; give each phase once.",
        "zh": "计划里阶段 {phase} 出现了两次，每个阶段只写一次。",
    },
    "kpi_mixed": {
        "en": 'One thing at a time for {kpi}: define it (`{verb} +x {kpi} target:500万`), report a number (`{verb} {kpi} 320万`), set a remedy (`{verb} {kpi} remedy:"…"`) or see its history (`{verb} +x {kpi} history`).',
        "zh": '对 {kpi} 一次只做一件事：定义（`{verb} +x {kpi} 目标:500万`）、上报（`{verb} {kpi} 320万`）、对策（`{verb} {kpi} 对策:"…"`）或历史（`{verb} +x {kpi} 历史`）。',
    },
    "kpi_define_project": {
        "en": "Which project is {kpi} for? e.g. `{verb} +双11大促 {kpi} target:500万`.",
        "zh": "{kpi} 属于哪个项目？例如 `{verb} +双11大促 {kpi} 目标:500万`。",
    },
    "kpi_value_missing": {
        "en": "What is {kpi}'s number? e.g. `{verb} {kpi} 320万` (or `{verb} +双11大促 {kpi} history`).",
        "zh": "{kpi} 的实际值是多少？例如 `{verb} {kpi} 320万`（或 `{verb} +双11大促 {kpi} 历史`）。",
    },
    "kpi_not_plan": {
        "en": "+{project} is a tag, not a plan: plan it first with `project new +{project} 2026-11-01..2026-12-10`.",
        "zh": "+{project} 只是标签，还不是计划：先用 `项目 新建 +{project} 2026-11-01..2026-12-10` 建立计划。",
    },
    "kpi_nowhere": {
        "en": "No open plan has a KPI called {kpi}. Define it with `kpi +project {kpi} target:500万`, or name the project: `kpi +project {kpi} 320万`.",
        "zh": "没有哪个进行中的计划有指标 {kpi}。可用 `指标 +项目 {kpi} 目标:500万` 定义，或写明项目：`指标 +项目 {kpi} 320万`。",
    },
    "kpi_which_project": {
        "en": "Several plans have a KPI {kpi}: {projects}. Say which, e.g. `kpi {example} {kpi} 320万`.",
        "zh": "多个计划都有指标 {kpi}：{projects}。请写明项目，例如 `指标 {example} {kpi} 320万`。",
    },
    "kpi_not_found": {
        "en": "+{project} has no KPI {kpi} (it has: {known}). Define it with `kpi +{project} {kpi} target:500万`.",
        "zh": "+{project} 没有指标 {kpi}（现有：{known}）。可用 `指标 +{project} {kpi} 目标:500万` 定义。",
    },
    "kpi_known_none": {"en": "none yet", "zh": "暂无"},
    "kpi_label_unknown": {
        "en": "{kpi} has no label {label} (its labels: {labels}).",
        "zh": "{kpi} 没有渠道 {label}（现有渠道：{labels}）。",
    },
    "kpi_label_needed": {
        "en": "{kpi} is counted by label ({labels}): which one is this number for? e.g. `kpi {kpi} 320万 label:{first}`.",
        "zh": "{kpi} 按渠道统计（{labels}）：这个数字是哪个渠道的？例如 `指标 {kpi} 320万 渠道:{first}`。",
    },
    "kpi_no_phases": {
        "en": "none yet: add one with `phase add +{project} 预热期 11-01..11-15`",
        "zh": "暂无，可用 `阶段 添加 +{project} 预热期 11-01..11-15` 添加",
    },
    "kpi_phase_unknown": {
        "en": "+{project} has no phase {phase} (its phases: {known}).",
        "zh": "+{project} 没有阶段 {phase}（现有阶段：{known}）。",
    },
    "kpi_target_zero": {
        "en": "A target of {value} leaves nothing to pace against: give {kpi} a target above 0, e.g. `target:500万`.",
        "zh": "目标 {value} 无法衡量进度：请给 {kpi} 一个大于 0 的目标，例如 `目标:500万`。",
    },
    "kpi_target_missing": {
        "en": "{kpi} is new in +{project}: give it a target, e.g. `kpi +{project} {kpi} target:500万`.",
        "zh": "+{project} 还没有指标 {kpi}：请写上目标，例如 `指标 +{project} {kpi} 目标:500万`。",
    },
    "kpi_split_mismatch": {
        "en": "Note: the phases' plan adds up to {total}, not the target {target}; pace follows the plan.",
        "zh": "注意：各阶段计划合计 {total}，与目标 {target} 不一致；进度按阶段计划计算。",
    },
    "kpi_defined": {
        "en": "KPI {kpi} defined for +{project}",
        "zh": "已为 +{project} 定义指标 {kpi}",
    },
    "kpi_updated": {
        "en": "KPI {kpi} of +{project} updated (it existed)",
        "zh": "已更新 +{project} 的指标 {kpi}（原已存在）",
    },
    "kpi_recorded": {
        "en": "{kpi} of +{project}: {value} recorded",
        "zh": "已记录 +{project} 的 {kpi}：{value}",
    },
    "kpi_remedy_set": {
        "en": "Remedy for {kpi} of +{project}: {remedy}",
        "zh": "+{project} 的 {kpi} 对策：{remedy}",
    },
    "kpi_remedy_cleared": {
        "en": "Remedy for {kpi} of +{project} cleared",
        "zh": "已清除 +{project} 的 {kpi} 对策",
    },
    "kpi_list_title": {"en": "KPIs of +{project}", "zh": "+{project} 的指标"},
    "kpi_list_empty": {
        "en": "+{project} has no KPI yet: `kpi +{project} GMV target:500万` defines one.",
        "zh": "+{project} 还没有指标：`指标 +{project} GMV 目标:500万` 可定义。",
    },
    "kpi_history_title": {"en": "{kpi}: recent numbers", "zh": "{kpi}：最近上报"},
    "kpi_history_empty": {
        "en": "No number reported for {kpi} yet.",
        "zh": "{kpi} 还没有上报过数字。",
    },
    "kpi_history_line": {
        "en": "{when} · {kpi} {value} — {who} ({source})",
        "zh": "{when} · {kpi} {value} — {who}（来源：{source}）",
    },
    "kpi_source_chat": {"en": "chat", "zh": "聊天"},
    "kpi_source_csv": {"en": "CSV import", "zh": "CSV 导入"},
    "kpi_source_api": {"en": "API", "zh": "API 接口"},
    "kpi_heading": {"en": "KPIs:", "zh": "指标："},
    "kpi_row": {"en": "{kpi}: {actual} / {target}", "zh": "{kpi}：实际 {actual} / 目标 {target}"},
    "kpi_row_pace": {
        "en": " · planned to date {planned} · pace {pace}%",
        "zh": " · 计划至今 {planned} · 进度 {pace}%",
    },
    "kpi_row_from": {"en": " · planned from {day}", "zh": " · 自 {day} 起计划"},
    "kpi_row_no_dates": {
        "en": " · no dates to pace against (give the plan an end date)",
        "zh": " · 没有日期可计算进度（请给计划设结束日期）",
    },
    "kpi_remedy_own": {
        "en": "{kpi} at {pace}% of pace — remedy: {remedy}",
        "zh": "{kpi} 进度 {pace}% — 对策：{remedy}",
    },
    "kpi_remedy_move": {
        "en": "{kpi} at {pace}% of pace — {behind} {behind_pace}% vs {ahead} {ahead_pace}%: move resources from {ahead} to {behind}",
        "zh": "{kpi} 进度 {pace}% — {behind} {behind_pace}% vs {ahead} {ahead_pace}%：建议把资源从{ahead}调往{behind}",
    },
    "kpi_remedy_prompt": {
        "en": '{kpi} at {pace}% of pace — no remedy yet: `kpi {name} remedy:"…"`',
        "zh": '{kpi} 进度 {pace}% — 还没有对策：`指标 {name} 对策:"…"`',
    },
    "kpi_import_future": {
        "en": "the date {value} is in the future",
        "zh": "日期 {value} 在未来",
    },
    "kpi_import_date_bad": {
        "en": "“{value}” is not a date: use 2026-11-20 or 2026-11-20T18:00+08:00",
        "zh": "“{value}”不是日期：请用 2026-11-20 或 2026-11-20T18:00+08:00",
    },
    "kpi_import_field": {"en": "{field} is empty", "zh": "{field} 为空"},
    "setting_apitoken": {"en": "API token", "zh": "API 令牌"},
    "api_token_created": {
        "en": "API token for this workspace (shown this once; it is stored only as a hash): {token}",
        "zh": "本工作区的 API 令牌（只显示这一次，系统只保存其哈希）：{token}",
    },
    "api_token_how": {
        "en": "Use it as `Authorization: Bearer <token>` on `POST /api/kpi`; `settings api-token revoke` revokes it.",
        "zh": "调用 `POST /api/kpi` 时带上 `Authorization: Bearer <令牌>`；`设置 api-token 撤销` 可吊销。",
    },
    "api_token_revoked": {
        "en": "API tokens revoked: {count}.",
        "zh": "已吊销 API 令牌 {count} 个。",
    },
    "api_token_admin_only": {
        "en": "Only an admin can make or revoke API tokens.",
        "zh": "只有管理员可以创建或吊销 API 令牌。",
    },
    "api_token_bad_word": {
        "en": "“{value}”: say `settings api-token` to make a token, `settings api-token revoke` to revoke them.",
        "zh": "“{value}”：发送 `设置 api-token` 创建令牌，`设置 api-token 撤销` 吊销。",
    },
    "secret_shown_once": {
        "en": "This answer held a secret; it was shown once and is not repeated.",
        "zh": "这条回复含有密钥，只显示一次，不再重复。",
    },
    "secret_sent_by_app": {
        "en": "I sent it to you privately (a token or a personal link is never shown in a group).",
        "zh": "已私信发给你（令牌和个人链接不会在群里显示）。",
    },
    "secret_not_in_group": {
        "en": "A token or a personal link is shown only in a private chat with me: ask there (what was made now was shown to no one; a token is cleared with `settings api-token revoke`).",
        "zh": "令牌和个人链接只在与我的单聊中显示：请在单聊中发送（刚才生成的内容未向任何人显示；令牌可用 `设置 api-token 撤销` 清除）。",
    },
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
    "plan_field_light": {"en": "Light", "zh": "灯色"},
    "plan_light_why": {"en": "light decided by {why}", "zh": "灯色依据：{why}"},
    "plan_buffer_line": {
        "en": "Buffer {buffer} days · used {used}% ({days} of {buffer} days) · planned finish {planned} · forecast finish {forecast}",
        "zh": "缓冲 {buffer} 天 · 已用 {used}%（{buffer} 天中的 {days} 天）· 计划完成 {planned} · 预测完成 {forecast}",
    },
    "plan_forecast_none": {
        "en": "none (no open task has a due date)",
        "zh": "无（进行中的任务都没有截止日期）",
    },
    "plan_buffer_no_span": {
        "en": "No buffer or forecast until the plan has an end date: `project edit +{project} end:12-15`",
        "zh": "计划有结束日期后才有缓冲和预测：`项目 编辑 +{project} 结束:12-15`",
    },
    "plan_phase_now": {
        "en": "Phase now: {phase} ({start} – {end})",
        "zh": "当前阶段：{phase}（{start} – {end}）",
    },
    "plan_phase_between": {"en": "No phase is running today", "zh": "今天不在任何阶段内"},
    "portfolio_title": {
        "en": "Portfolio · {count} open project(s)",
        "zh": "全局 · {count} 个进行中的项目",
    },
    "portfolio_line": {
        "en": "+{project} · {kpi} · {buffer} · {finish} · {red}",
        "zh": "+{project}：{kpi}，{buffer}，{finish}，{red}",
    },
    "portfolio_tag_line": {
        "en": "+{project} · tag, not planned · {red}",
        "zh": "+{project} · 标签，未建计划 · {red}",
    },
    "portfolio_kpi": {"en": "{kpi} {label}at {pace}% of pace", "zh": "{kpi} {label}进度 {pace}%"},
    "portfolio_kpi_none": {"en": "no KPI paced yet", "zh": "暂无可计进度的指标"},
    "portfolio_buffer": {
        "en": "buffer {used}% used ({days}/{buffer} d)",
        "zh": "缓冲已用 {used}%（{days}/{buffer} 天）",
    },
    "portfolio_no_dates": {"en": "no end date, no buffer", "zh": "未定结束日期，无缓冲"},
    "portfolio_finish": {
        "en": "forecast {forecast} vs planned {planned}",
        "zh": "预测 {forecast}，计划 {planned}",
    },
    "portfolio_finish_none": {
        "en": "no forecast (no due dates) vs planned {planned}",
        "zh": "无预测（无截止日期），计划 {planned}",
    },
    "portfolio_red": {"en": "{count} red", "zh": "{count} 项红灯"},
    "portfolio_empty": {
        "en": "No open projects yet: `project new 双11大促 2026-11-01..2026-12-10` plans one.",
        "zh": "还没有进行中的项目：`项目 新建 双11大促 2026-11-01..2026-12-10` 可以建立一个。",
    },
    "portfolio_mine_title": {
        "en": "Your open tasks across channels",
        "zh": "你在各频道的进行中任务",
    },
    "portfolio_mine_why": {
        "en": "The portfolio of every project is for managers and admins; here are your own open tasks instead.",
        "zh": "全局项目视图仅限管理者和管理员查看；以下是你自己的进行中任务。",
    },
    "portfolio_mine_empty": {"en": "You have no open tasks.", "zh": "你没有进行中的任务。"},
    "portfolio_mine_more": {
        "en": "…and {more} more: `list mine` in a channel shows that channel's.",
        "zh": "……还有 {more} 项：在频道里发 `列表 我的` 查看该频道的任务。",
    },
    "board_title": {"en": "Board +{project}", "zh": "看板 +{project}"},
    "board_col_todo": {"en": "To do", "zh": "待办"},
    "board_col_doing": {"en": "Doing", "zh": "进行中"},
    "board_col_blocked": {"en": "Blocked", "zh": "阻塞"},
    "board_col_done": {"en": "Done (7 days)", "zh": "已完成（近 7 天）"},
    "board_column": {"en": "▍{column} · {count}", "zh": "▍{column} · {count} 项"},
    "board_column_cont": {
        "en": "▍{column} · {count} (continued)",
        "zh": "▍{column} · {count} 项（续）",
    },
    "board_empty": {
        "en": "+{project} has no open tasks and none done in the last 7 days: `add write copy +{project}` adds one.",
        "zh": "+{project} 没有进行中的任务，近 7 天也没有完成的：`新建 写文案 +{project}` 添加一项。",
    },
    "board_hidden": {
        "en": "{count} task(s) of +{project} in other channels are not shown here.",
        "zh": "+{project} 另有 {count} 项其他频道的任务未在此显示。",
    },
    "board_page": {
        "en": "Page {page} of {pages} · `{next}` for more",
        "zh": "第 {page}/{pages} 页 · 发送 `{next}` 查看更多",
    },
    "board_page_last": {"en": "Page {page} of {pages}", "zh": "第 {page}/{pages} 页"},
    "board_page_word": {"en": "page", "zh": "页"},
    "board_no_project": {
        "en": "Which project's board? Name it with a +, e.g. `{verb} +双11大促`.",
        "zh": "要看哪个项目的看板？用 + 写出项目名，例如 `{verb} +双11大促`。",
    },
    "board_page_bad": {
        "en": "“{value}” is not a page number: e.g. `board +双11大促 page:2`.",
        "zh": "“{value}”不是页码：例如 `看板 +双11大促 页:2`。",
    },
    "board_page_out": {
        "en": "+{project}'s board has {pages} page(s); there is no page {page}: e.g. `{verb} +{project} page:{pages}`.",
        "zh": "+{project} 的看板共 {pages} 页，没有第 {page} 页：例如 `{verb} +{project} 页:{pages}`。",
    },
    "board_extra": {
        "en": "“{value}” is not part of a board command: e.g. `{verb} +双11大促 page:2`.",
        "zh": "看板命令里不明白“{value}”：例如 `{verb} +双11大促 页:2`。",
    },
    "board_two_projects": {
        "en": "One board at a time: {projects}. E.g. `{verb} +双11大促`.",
        "zh": "一次只能看一个项目的看板：{projects}。例如 `{verb} +双11大促`。",
    },
    "help_portfolio": {
        "en": "`portfolio` — every open project across channels, worst first: light, worst KPI's pace, buffer used, forecast vs planned finish, red tasks (managers and admins; others see their own open tasks)",
        "zh": "`全局` — 各频道所有进行中的项目，最差的在前：灯色、最差指标进度、缓冲已用、预测与计划完成、红灯任务数（管理者和管理员；其他人看到自己的进行中任务）",
    },
    "help_board": {
        "en": "`board +<project> [page:2]` — the project's tasks as a kanban: to do / doing / blocked / done in the last 7 days, each card with its light and owner. E.g. `board +双11大促`",
        "zh": "`看板 +<项目> [页:2]` — 项目任务看板：待办 / 进行中 / 阻塞 / 近 7 天完成，每张卡片带灯色和负责人。例如 `看板 +双11大促`",
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
    # --- the Gantt chart (handlers/charts/gantt.py), the digest's charts setting ---
    "gantt_title": {"en": "Gantt · +{project}", "zh": "甘特图 · +{project}"},
    "gantt_shows": {
        "en": "Bars run from start (or creation) to due, filled to their progress and coloured by their light; the blue line is today, the hatched band the buffer, the dashed line the forecast finish.",
        "zh": "横条从开始（或创建）日到截止日，按进度填充、按灯色着色；蓝线是今天，斜线区是缓冲，虚线是预测完成日。",
    },
    "gantt_undated": {
        "en": "No due date yet: {tasks} (drawn as ◇ at their start).",
        "zh": "尚未设截止日期：{tasks}（在开始日画为 ◇）。",
    },
    "gantt_empty": {
        "en": "+{project} has no tasks to draw: `add write copy +{project} due:fri` adds one.",
        "zh": "+{project} 还没有可画的任务：`新建 写文案 +{project} 截止:周五` 添加一项。",
    },
    "gantt_alt": {
        "en": "Gantt chart of +{project}: {shown} of {total} tasks — {red} red, {yellow} yellow, {green} green, {done} done.",
        "zh": "+{project} 的甘特图：共 {total} 项任务，本图 {shown} 项 — 红灯 {red}、黄灯 {yellow}、绿灯 {green}、已完成 {done}。",
    },
    "gantt_alt_light": {"en": "The project: {why}.", "zh": "项目：{why}。"},
    "gantt_alt_buffer": {
        "en": "The plan: {buffer} · {finish}.",
        "zh": "计划：{buffer} · {finish}。",
    },
    "gantt_alt_red": {"en": "Red: {tasks}.", "zh": "红灯：{tasks}。"},
    "gantt_alt_page": {"en": "Page {page} of {pages}.", "zh": "第 {page}/{pages} 页。"},
    "gantt_today": {"en": "today", "zh": "今天"},
    "gantt_buffer": {"en": "buffer", "zh": "缓冲"},
    "gantt_forecast": {"en": "forecast {day}", "zh": "预测完成 {day}"},
    "gantt_no_due": {"en": "no due date", "zh": "无截止日期"},
    "gantt_no_phase": {"en": "No phase", "zh": "未分阶段"},
    "gantt_legend_red": {"en": "red", "zh": "红灯"},
    "gantt_legend_yellow": {"en": "yellow", "zh": "黄灯"},
    "gantt_legend_green": {"en": "green", "zh": "绿灯"},
    "gantt_legend_done": {"en": "done", "zh": "已完成"},
    "gantt_no_project": {
        "en": "Which project's Gantt chart? Name it with a +, e.g. `{verb} +双11大促`.",
        "zh": "要看哪个项目的甘特图？用 + 写出项目名，例如 `{verb} +双11大促`。",
    },
    "gantt_two_projects": {
        "en": "One Gantt chart at a time: {projects}. E.g. `{verb} +双11大促`.",
        "zh": "一次只能看一个项目的甘特图：{projects}。例如 `{verb} +双11大促`。",
    },
    "gantt_extra": {
        "en": "“{value}” is not part of a Gantt command: e.g. `{verb} +双11大促 page:2`.",
        "zh": "甘特图命令里不明白“{value}”：例如 `{verb} +双11大促 页:2`。",
    },
    "gantt_page_bad": {
        "en": "“{value}” is not a page number: e.g. `gantt +双11大促 page:2`.",
        "zh": "“{value}”不是页码：例如 `甘特图 +双11大促 页:2`。",
    },
    "gantt_page_out": {
        "en": "+{project}'s Gantt chart has {pages} page(s); there is no page {page}: e.g. `{verb} +{project} page:{pages}`.",
        "zh": "+{project} 的甘特图共 {pages} 页，没有第 {page} 页：例如 `{verb} +{project} 页:{pages}`。",
    },
    "help_gantt": {
        "en": "`gantt +<project> [page:2]` — the project's Gantt chart as a picture: phases, each task from start to due filled to its progress and coloured by its light, today, the buffer and the forecast finish; 40 tasks a page. E.g. `gantt +双11大促`",
        "zh": "`甘特图 +<项目> [页:2]` — 项目甘特图（图片）：阶段、每项任务从开始到截止按进度填充并按灯色着色、今天、缓冲和预测完成日；每页 40 项。例如 `甘特图 +双11大促`",
    },
    "setting_charts": {"en": "Gantt charts in the digest", "zh": "周报附甘特图"},
    "charts_set": {
        "en": "Gantt charts of red and yellow projects in the weekly digest: {state}.",
        "zh": "每周周报附红灯、黄灯项目的甘特图：{state}。",
    },
    "settings_charts_missing": {
        "en": "`settings charts on` or `settings charts off`.",
        "zh": "`设置 图表 开` 或 `设置 图表 关`。",
    },
    # --- the KPI chart and the buffer fever chart (handlers/charts/kpi_chart.py, fever.py) ---
    "help_kpichart": {
        "en": "`kpichart +<plan> [KPI]` (also `kpi chart +<plan>`) — each KPI of the plan as a chart: per label the actual against the plan to date and its 80% line, today marked, the pace in its light's colour. E.g. `kpi chart +双11大促`",
        "zh": "`指标图 +<计划> [指标]`（也可写 `指标 图 +<计划>`）— 计划的每个指标一张图：各渠道的实际值对比计划至今及其 80% 线，标出今天，进度按灯色显示。例如 `指标图 +双11大促`",
    },
    "help_buffer": {
        "en": "`buffer +<plan>` — the buffer fever chart: work done across, buffer used up, one dot per week over the green / yellow / red zones; a dot above the diagonal burns buffer faster than work finishes. E.g. `buffer +双11大促`",
        "zh": "`缓冲 +<计划>` — 缓冲“发烧图”：横轴完成进度，纵轴缓冲已用，每周一个点，背景为绿 / 黄 / 红区；点在对角线上方表示缓冲消耗快于完成进度。例如 `缓冲 +双11大促`",
    },
    "kpichart_no_project": {
        "en": "Which plan's KPI chart? Name it with a +, e.g. `{verb}{chart} +双11大促`.",
        "zh": "要看哪个计划的指标图？用 + 写出计划名，例如 `{verb}{chart} +双11大促`。",
    },
    "kpichart_two_projects": {
        "en": "One plan's KPI chart at a time: {projects}. E.g. `{verb}{chart} +双11大促`.",
        "zh": "一次只能看一个计划的指标图：{projects}。例如 `{verb}{chart} +双11大促`。",
    },
    "kpichart_extra": {
        "en": "“{value}” is not part of a KPI chart command: name one plan and at most one KPI, e.g. `{verb}{chart} +双11大促 GMV`.",
        "zh": "指标图命令里不明白“{value}”：写一个计划、最多一个指标，例如 `{verb}{chart} +双11大促 GMV`。",
    },
    "kpichart_title": {"en": "KPI chart +{project}", "zh": "指标图 +{project}"},
    "kpichart_subtitle": {
        "en": "Target {targets} · actual against the plan to date",
        "zh": "目标 {targets} · 实际值对比计划至今",
    },
    "kpichart_legend_actual": {"en": "actual", "zh": "实际"},
    "kpichart_legend_plan": {"en": "planned to date", "zh": "计划至今"},
    "kpichart_legend_eighty": {"en": "80% of plan (red below)", "zh": "计划的 80%（低于即红灯）"},
    "kpichart_alt": {
        "en": "KPI chart of +{project}, {start} – {end}, today {today}: {rows}.",
        "zh": "+{project} 指标图，{start} – {end}，今天 {today}：{rows}。",
    },
    "kpichart_alt_row": {
        "en": "{kpi} {actual} against {planned} planned to date (target {target}), pace {pace}%{light}",
        "zh": "{kpi} 实际 {actual}，计划至今 {planned}（目标 {target}），进度 {pace}%{light}",
    },
    "kpichart_alt_unpaced": {
        "en": "{kpi} {actual} (target {target}), nothing planned yet",
        "zh": "{kpi} 实际 {actual}（目标 {target}），尚无计划量",
    },
    "chart_light_red": {"en": " (red)", "zh": "（红灯）"},
    "chart_light_yellow": {"en": " (yellow)", "zh": "（黄灯）"},
    "chart_light_green": {"en": " (green)", "zh": "（绿灯）"},
    "chart_axis_date": {"en": "Date", "zh": "日期"},
    "chart_today": {"en": "today {day}", "zh": "今天 {day}"},
    "chart_no_dates": {
        "en": "+{project} has no end date, so there is nothing to chart against: `project edit +{project} end:12-10` gives it one.",
        "zh": "+{project} 没有结束日期，无从对比作图：`项目 编辑 +{project} 结束:12-10` 可补上。",
    },
    "buffer_no_project": {
        "en": "Which plan's buffer? Name it with a +, e.g. `{verb} +双11大促`.",
        "zh": "要看哪个计划的缓冲？用 + 写出计划名，例如 `{verb} +双11大促`。",
    },
    "buffer_two_projects": {
        "en": "One plan's buffer at a time: {projects}. E.g. `{verb} +双11大促`.",
        "zh": "一次只能看一个计划的缓冲：{projects}。例如 `{verb} +双11大促`。",
    },
    "buffer_extra": {
        "en": "“{value}” is not part of a buffer command: name the plan only, e.g. `{verb} +双11大促`.",
        "zh": "缓冲命令里不明白“{value}”：只需写计划名，例如 `{verb} +双11大促`。",
    },
    "fever_title": {"en": "Buffer +{project}", "zh": "缓冲 +{project}"},
    "fever_picture_title": {
        "en": "Buffer fever chart · +{project}",
        "zh": "缓冲发烧图 · +{project}",
    },
    "fever_subtitle": {
        "en": "Buffer {days} days: planned finish {planned}, end {end}",
        "zh": "缓冲 {days} 天：计划完成 {planned}，截止 {end}",
    },
    "fever_no_tasks": {
        "en": "+{project} has no task yet, so no work done to weigh the buffer against: `add <title> +{project} due:<date>` adds one.",
        "zh": "+{project} 还没有任务，无从对比缓冲消耗：`新建 <标题> +{project} 截止:<日期>` 可添加。",
    },
    "fever_axis_done": {
        "en": "Work done (share of tasks done)",
        "zh": "完成进度（已完成任务占比）",
    },
    "fever_axis_used": {"en": "Buffer used", "zh": "缓冲已用"},
    "fever_diagonal": {
        "en": "buffer burns as fast as work finishes",
        "zh": "缓冲消耗与完成进度同速",
    },
    "fever_zone_green": {"en": "green: under half used", "zh": "绿区：已用不到一半"},
    "fever_zone_yellow": {"en": "yellow: over half used", "zh": "黄区：已用过半"},
    "fever_zone_red": {"en": "red: buffer gone", "zh": "红区：缓冲用尽"},
    "fever_now_mark": {
        "en": "now: {used}% used · {done}% done",
        "zh": "当前：缓冲已用 {used}% · 完成 {done}%",
    },
    "fever_now_line": {
        "en": "Buffer {used}% used ({days} of {buffer} days) with {done}% of the tasks done: forecast finish {forecast} against {planned} planned.",
        "zh": "缓冲已用 {used}%（{buffer} 天中的 {days} 天），任务完成 {done}%：预测完成 {forecast}，计划完成 {planned}。",
    },
    "fever_now_no_forecast": {
        "en": "Buffer {used}% used ({days} of {buffer} days) with {done}% of the tasks done; planned finish {planned}, and no open task has a due date to forecast from.",
        "zh": "缓冲已用 {used}%（{buffer} 天中的 {days} 天），任务完成 {done}%；计划完成 {planned}，没有带截止日期的未完成任务，无法预测。",
    },
    "fever_alt": {
        "en": "Buffer fever chart of +{project}, {weeks} weekly dot(s) of buffer used against work done. {story}",
        "zh": "+{project} 缓冲发烧图，{weeks} 个每周的点：缓冲已用对比完成进度。{story}",
    },
    "fever_trend_faster": {
        "en": "Over {weeks} week(s): done {done_from}% → {done_to}%, buffer used {used_from}% → {used_to}% — burning buffer faster than work finishes.",
        "zh": "近 {weeks} 周：完成 {done_from}% → {done_to}%，缓冲已用 {used_from}% → {used_to}%——缓冲消耗快于完成进度。",
    },
    "fever_trend_slower": {
        "en": "Over {weeks} week(s): done {done_from}% → {done_to}%, buffer used {used_from}% → {used_to}% — work finishes at least as fast as buffer burns.",
        "zh": "近 {weeks} 周：完成 {done_from}% → {done_to}%，缓冲已用 {used_from}% → {used_to}%——完成进度不慢于缓冲消耗。",
    },
    "fever_trend_recovering": {
        "en": "Over {weeks} week(s): done {done_from}% → {done_to}%, buffer used {used_from}% → {used_to}% — buffer won back.",
        "zh": "近 {weeks} 周：完成 {done_from}% → {done_to}%，缓冲已用 {used_from}% → {used_to}%——缓冲有所回收。",
    },
    # --- pictures posted by the doors (bot/slack, bot/wecom, bot/console) ---
    "picture_in_dm": {
        "en": "I cannot post in <#{channel}>, so here is the chart you asked for there.",
        "zh": "我无法在 <#{channel}> 发送图片，你在那里要的图表发在这里。",
    },
    "picture_private_dm": {
        "en": "The chart you asked for in <#{channel}> shows tasks of other channels that only you may read, so it is here and not there.",
        "zh": "你在 <#{channel}> 要的图表包含只有你能看到的其他频道的任务，所以发在这里，没有发到那里。",
    },
    "picture_private_not_shown": {
        "en": "📊 {title}: it shows tasks of other groups that only you may read; ask me in a private chat for it.",
        "zh": "📊 {title}：图中有只有你能看到的其他群的任务；请在与我的单聊中获取。",
    },
    "picture_follows_below": {
        "en": "📊 {title}: the chart follows below.",
        "zh": "📊 {title}：图表见下方。",
    },
    "picture_by_app": {
        "en": "📊 {title}: the chart was sent to you by the app.",
        "zh": "📊 {title}：图表已由应用发送给你。",
    },
    "picture_not_shown": {"en": "📊 Chart · {title}: {alt}", "zh": "📊 图表 · {title}：{alt}"},
    # --- the dashboard (handlers/dashboard.py, bot/dashboard/) ---
    "help_dashboard": {
        "en": "`dashboard` — a private link to the live dashboard (the portfolio, each project's Gantt, KPIs, board and blockers, your tasks): managers and admins see the whole workspace, others their own work; it expires in a week",
        "zh": "`仪表盘` — 私发一个实时仪表盘链接（全局、各项目的甘特图、指标、看板和阻塞、我的任务）：管理者和管理员看到整个工作区，其他人看到自己的工作；一周后失效",
    },
    "dashboard_title": {"en": "Dashboard", "zh": "仪表盘"},
    "dashboard_no_url": {
        "en": "The dashboard needs the address people reach this bot at: the admin who runs it sets `PACELINE_PUBLIC_URL=https://bot.example.com` (where `paceline serve` answers) and restarts it.",
        "zh": "仪表盘需要大家访问本机器人的地址：由部署机器人的管理员设置 `PACELINE_PUBLIC_URL=https://bot.example.com`（`paceline serve` 的访问地址）并重启。",
    },
    "dashboard_off": {
        "en": "The dashboard is off in this workspace; an admin turns it on with `settings dashboard on`.",
        "zh": "本工作区已关闭仪表盘；管理员可发送 `设置 仪表盘 开` 开启。",
    },
    "dashboard_scope_all": {
        "en": "It shows the whole workspace, as your role allows. Keep it to yourself: whoever has the link sees what you see.",
        "zh": "按你的角色显示整个工作区。请勿转发：拿到链接的人能看到你能看到的内容。",
    },
    "dashboard_scope_own": {
        "en": "It shows your tasks and the projects you work in. Keep it to yourself: whoever has the link sees what you see.",
        "zh": "显示你的任务和你参与的项目。请勿转发：拿到链接的人能看到你能看到的内容。",
    },
    "dashboard_expires": {
        "en": "The link works until {when} ({days} days); ask `dashboard` again for a new one.",
        "zh": "链接有效期至 {when}（{days} 天）；过期后再发送 `仪表盘` 获取新链接。",
    },
    "setting_dashboard": {"en": "Dashboard", "zh": "仪表盘"},
    "dashboard_set": {
        "en": "Dashboard for the whole workspace: {state}.",
        "zh": "整个工作区的仪表盘：{state}。",
    },
    "settings_dashboard_missing": {
        "en": "On or off? `settings dashboard on` or `settings dashboard off` (admins, the whole workspace).",
        "zh": "开还是关？`设置 仪表盘 开` 或 `设置 仪表盘 关`（管理员，整个工作区）。",
    },
    "dash_brand": {"en": "Dashboard", "zh": "仪表盘"},
    "dash_portfolio": {"en": "Portfolio", "zh": "全局"},
    "dash_portfolio_nav": {"en": "Portfolio", "zh": "全局"},
    "dash_mine_p": {"en": "My projects", "zh": "我参与的项目"},
    "dash_mine": {"en": "My tasks", "zh": "我的任务"},
    "dash_footer": {
        "en": "Updated {updated} · refreshes every {seconds} s · this link works until {expires}",
        "zh": "更新于 {updated} · 每 {seconds} 秒自动刷新 · 链接有效期至 {expires}",
    },
    "dash_portfolio_why": {
        "en": "{count} open project(s) of the workspace, worst first unless sorted otherwise.",
        "zh": "工作区共 {count} 个进行中的项目，默认最差的在前。",
    },
    "dash_portfolio_why_own": {
        "en": "{count} open project(s) you work in (managers and admins see every project).",
        "zh": "你参与的 {count} 个进行中的项目（管理者和管理员可看到全部项目）。",
    },
    "dash_sort_by": {"en": "Sort by:", "zh": "排序："},
    "dash_sort_light": {"en": "light", "zh": "灯色"},
    "dash_sort_pace": {"en": "KPI pace", "zh": "指标进度"},
    "dash_sort_buffer": {"en": "buffer used", "zh": "缓冲已用"},
    "dash_sort_finish": {"en": "forecast finish", "zh": "预测完成"},
    "dash_sort_red": {"en": "red tasks", "zh": "红灯任务"},
    "dash_col_project": {"en": "Project", "zh": "项目"},
    "dash_col_pace": {"en": "Worst KPI pace", "zh": "最落后指标进度"},
    "dash_col_buffer": {"en": "Buffer used", "zh": "缓冲已用"},
    "dash_col_finish": {"en": "Forecast finish", "zh": "预测完成"},
    "dash_col_red": {"en": "Red tasks", "zh": "红灯任务"},
    "dash_col_task": {"en": "Task", "zh": "任务"},
    "dash_col_status": {"en": "Status", "zh": "状态"},
    "dash_col_due": {"en": "Due", "zh": "截止"},
    "dash_col_kpi": {"en": "KPI", "zh": "指标"},
    "dash_col_target": {"en": "Target", "zh": "目标"},
    "dash_col_kpi_pace": {"en": "Pace", "zh": "进度"},
    "dash_col_actual": {"en": "Actual", "zh": "实际"},
    "dash_col_reason": {"en": "Reason", "zh": "原因"},
    "dash_col_cause": {"en": "Root cause", "zh": "根因"},
    "dash_col_age": {"en": "Blocked for", "zh": "已阻塞"},
    "dash_light_red": {"en": "red", "zh": "红灯"},
    "dash_light_yellow": {"en": "yellow", "zh": "黄灯"},
    "dash_light_green": {"en": "green", "zh": "绿灯"},
    "dash_light_none": {"en": "no light", "zh": "无灯色"},
    "dash_portfolio_empty": {"en": "No open project to show.", "zh": "暂无可显示的进行中项目。"},
    "dash_more": {
        "en": "…and {more} more; the oldest due are shown first.",
        "zh": "……另有 {more} 项未显示；按截止日期先后排列。",
    },
    "dash_mine_empty": {"en": "You have no open task.", "zh": "你没有进行中的任务。"},
    "dash_kpis": {"en": "KPIs", "zh": "指标"},
    "dash_gantt": {"en": "Gantt chart", "zh": "甘特图"},
    "dash_kpi_chart": {"en": "KPI chart", "zh": "指标图"},
    "dash_fever": {"en": "Buffer fever chart", "zh": "缓冲发烧图"},
    "dash_chart_failed": {
        "en": "This chart could not be drawn just now; the rest of the page is current.",
        "zh": "该图表暂时无法绘制；页面其余内容为最新。",
    },
    "dash_page": {"en": "Page {page} of {pages}", "zh": "第 {page}/{pages} 页"},
    "dash_previous": {"en": "previous", "zh": "上一页"},
    "dash_next": {"en": "next", "zh": "下一页"},
    "dash_board": {"en": "Board", "zh": "看板"},
    "dash_hidden": {
        "en": "{count} task(s) of other channels are not shown to you.",
        "zh": "另有 {count} 项其他频道的任务对你不可见。",
    },
    "dash_blockers": {"en": "Open blockers", "zh": "未解除的阻塞"},
    "dash_age": {"en": "{days} d (since {since})", "zh": "{days} 天（自 {since}）"},
    "dash_no_blockers": {"en": "No open blocker.", "zh": "没有未解除的阻塞。"},
    "dash_changes": {"en": "This week's changes", "zh": "本周变更"},
    "dash_no_changes": {"en": "No change in the last 7 days.", "zh": "近 7 天没有变更。"},
    "dash_goal": {"en": "Goal", "zh": "目标"},
    "dash_dates": {"en": "Dates", "zh": "日期"},
    "dash_phase": {"en": "Phase now", "zh": "当前阶段"},
    "dash_buffer": {"en": "Buffer", "zh": "缓冲"},
    "dash_finish": {"en": "Finish", "zh": "完成"},
    "dash_red": {"en": "Red tasks", "zh": "红灯任务"},
    "dash_role_admin": {"en": "admin", "zh": "管理员"},
    "dash_role_manager": {"en": "manager", "zh": "管理者"},
    "dash_role_member": {"en": "member", "zh": "成员"},
    "dash_role_viewer": {"en": "viewer", "zh": "观察者"},
    "dash_refused_title": {"en": "Cannot open this page", "zh": "无法打开此页面"},
    "dash_no_link": {
        "en": "This page opens only from a link the bot sends: say `dashboard` to it in chat.",
        "zh": "此页面只能通过机器人发送的链接打开：请在聊天中向机器人发送 `仪表盘`。",
    },
    "dash_bad_link": {
        "en": "This link is not valid or has expired: say `dashboard` to the bot in chat for a new one.",
        "zh": "链接无效或已过期：请在聊天中向机器人发送 `仪表盘` 获取新链接。",
    },
    "dash_off": {
        "en": "The dashboard is turned off; an admin turns it on with `settings dashboard on`.",
        "zh": "仪表盘已关闭；管理员可发送 `设置 仪表盘 开` 开启。",
    },
    "dash_no_project": {
        "en": "No such project, or not one you may see.",
        "zh": "没有这个项目，或你无权查看。",
    },
    # --- task dependencies (handlers/dependencies.py) ---
    "help_after": {
        "en": "`after <task> <task…>|none` — a task waits for others (finish to start); also `add … after:12`. E.g. `after 14 12`",
        "zh": "`依赖 <编号> <编号…>|无` — 任务等其他任务完成后再开始；新建时也可写 `依赖:12`。例如 `依赖 14 12`",
    },
    "field_after": {"en": "Waits for", "zh": "依赖"},
    "after_missing": {
        "en": "Which task does #{task} wait for? E.g. `{verb} {task} 12` (or `{verb} {task} none` to clear).",
        "zh": "#{task} 要等哪个任务？例如 `{verb} {task} 12`（或 `{verb} {task} 无` 清除依赖）。",
    },
    "after_bad": {
        "en": "“{value}” is not a task number. Write the numbers the task waits for, e.g. `{verb} 14 12 13`.",
        "zh": "“{value}”不是任务编号。请写出要等的任务编号，例如 `{verb} 14 12 13`。",
    },
    "after_key_bad": {
        "en": "“{value}” is not a task number. Write the numbers the new task waits for, e.g. `add Print poster after:12` or `after:12,13`.",
        "zh": "“{value}”不是任务编号。请写出新任务要等的任务编号，例如 `新建 印海报 依赖:12` 或 `依赖:12,13`。",
    },
    "after_self": {
        "en": "#{task} cannot wait for itself. Name another task, e.g. `after {task} 12`.",
        "zh": "#{task} 不能依赖自己。请写另一个任务，例如 `依赖 {task} 12`。",
    },
    "after_twice": {
        "en": "#{task} already waits for #{after}. `show {task}` lists what it waits for.",
        "zh": "#{task} 已经依赖 #{after}。发送 `查看 {task}` 查看它的依赖。",
    },
    "after_cycle": {
        "en": "#{task} cannot wait for #{after}: that would be a cycle, {cycle}. Remove a link first, e.g. `after {after} none`.",
        "zh": "#{task} 不能依赖 #{after}：这会形成循环 {cycle}。请先去掉一条依赖，例如 `依赖 {after} 无`。",
    },
    "after_nothing": {
        "en": "#{task} waits for no task, so there is nothing to clear.",
        "zh": "#{task} 没有依赖任何任务，无需清除。",
    },
    "after_set": {"en": "#{task} waits for {afters}", "zh": "#{task} 依赖 {afters}"},
    "after_cleared": {
        "en": "#{task} waits for no task now",
        "zh": "#{task} 已清除全部依赖",
    },
    "after_waits_for": {
        "en": "Waits for #{task} ({status}, due {due})",
        "zh": "依赖 #{task}（{status}，截止 {due}）",
    },
    "after_waited_on_by": {"en": "#{task} waits for it", "zh": "#{task} 依赖本任务"},
    "after_start_early": {
        "en": "Note: #{task} waits for {afters}, still open.",
        "zh": "注意：#{task} 依赖的 {afters} 尚未完成。",
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

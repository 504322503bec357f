"""The one declaration of the settings file (settings.yml)."""

from __future__ import annotations

from .brand import _EMAIL, _PHONE, _PHONE_HINT, _PLAIN, _PLAIN_HINT, _TERM, _TERM_HINT, _URL
from .fields import Date, ListOf, Number, Obj, Text

SETTINGS = Obj("站点设置", "settings.yml", fields={
    "region": Obj("地区", required=True, fields={
        "name": Text("地区全称", required=True, max_len=20, example="广州市"),
        "short_name": Text("地区简称", required=True, max_len=10, example="广州"),
    }),
    "site": Obj("站点", required=True, fields={
        "title": Text("站点标题", required=True, max_len=30, pattern=_PLAIN,
                      pattern_hint=_PLAIN_HINT),
        "description": Text("站点简介", required=True, max_len=200, pattern=_PLAIN,
                            pattern_hint=_PLAIN_HINT),
        "url": Text("站点地址", pattern=_URL, pattern_hint="以 https:// 开头的网址"),
    }),
    "districts": ListOf("所在区", item=Text("区", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), required=True, min_items=1, unique=True),
    "categories": ListOf("品牌类型", item=Text("品牌类型", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), required=True, min_items=1,
                         unique=True),
    "levels": ListOf("品牌层级", item=Text("层级", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), required=True, min_items=1, unique=True),
    "stages": ListOf("发展阶段", item=Text("阶段", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), required=True, min_items=1, unique=True),
    "programs": ListOf("所属工程", item=Text("工程", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), required=True, unique=True),
    "cooperation_regions": ListOf("协作地区", item=Text("地区", max_len=20, pattern=_TERM, pattern_hint=_TERM_HINT), unique=True),
    "person_roles": ListOf("人物角色", item=Text("角色", max_len=20), required=True, min_items=1,
                           unique=True),
    "venue_types": ListOf("场所类型", item=Text("类型", max_len=20), required=True, min_items=1,
                          unique=True),
    "enterprise_kinds": ListOf("企业类别", item=Text("类别", max_len=20), unique=True),
    "figure_labels": ListOf("常用数据名称", item=Text("名称", max_len=30), unique=True),
    "figure_units": ListOf("常用单位", item=Text("单位", max_len=10), unique=True),
    "targets": ListOf("规划目标", item=Obj("目标", fields={
        "level": Text("层级", required=True, max_len=20),
        "count": Number("数量", required=True, integer=True),
        "deadline": Date("截止日期", required=True),
    })),
    "policy": Obj("政策依据", required=True, fields={
        "title": Text("文件名称", required=True, max_len=80),
        "issuer": Text("发文单位", required=True, max_len=80),
        "number": Text("文号", max_len=40),
        "date": Date("印发日期", required=True),
        "url": Text("官方网址", required=True, pattern=_URL, pattern_hint="以 https:// 开头的网址"),
        "points": ListOf("政策要点", "政策解读页逐条显示的要点（用自己的话概括）",
                         item=Text("要点", max_len=300)),
    }),
    "contact": Obj("联系方式", "本站主办单位的公开联系方式，显示在关于页", fields={
        "organization": Text("主办单位", max_len=80),
        "phone": Text("公开电话", pattern=_PHONE, pattern_hint=_PHONE_HINT),
        "email": Text("电子邮箱", pattern=_EMAIL, pattern_hint="电子邮箱地址"),
        "address": Text("地址", max_len=120),
    }),
    "map_link": Text("地图链接模板", "含 {lat} {lng} {name} 的地图应用链接", pattern=_URL,
                     pattern_hint="以 https:// 开头、含 {lat} 和 {lng} 的网址"),
    "editor": Obj("在线编辑", "表单编辑器 /admin/ 保存到的代码仓库；不填则不生成 /admin/", fields={
        "backend": Text("代码托管平台", "github、gitlab 或 forgejo（Gitea 后端不能发起拉取请求）",
                        required=True, pattern="github|gitlab|forgejo",
                        pattern_hint="github、gitlab 或 forgejo", example="github"),
        "repo": Text("仓库", "“所有者/仓库名”，GitLab 可含子组", required=True,
                     pattern=r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+",
                     pattern_hint="所有者/仓库名，例如 `example-org/laowu-site`",
                     example="example-org/laowu-site"),
        "branch": Text("发布分支", "拉取请求合并到的分支，默认 main", pattern=r"[A-Za-z0-9_./-]+",
                       pattern_hint="分支名，例如 `main`"),
        "api_root": Text("接口地址", "自建 GitLab 或 Forgejo 的 API 地址，例如 https://git.example.cn/api/v4",
                         pattern=_URL, pattern_hint="以 https:// 开头的网址"),
        "base_url": Text("登录服务地址", "GitHub：自建 OAuth 授权服务的地址；GitLab、Forgejo：平台地址",
                         pattern=_URL, pattern_hint="以 https:// 开头的网址"),
        "auth_endpoint": Text("登录路径", "登录服务上的授权路径，一般不填", max_len=120),
        "app_id": Text("OAuth 应用 ID", "GitLab、Forgejo 上建立的 OAuth 应用的 ID（Client ID）",
                       max_len=120),
        "local_port": Number("本地编辑端口", "在本机用 decap-server 编辑时的端口，默认 8081",
                             integer=True, minimum=1024),
    }),
})

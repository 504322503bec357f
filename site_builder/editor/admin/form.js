// The form's own words and widgets, registered before Decap starts: this plain script runs before
// Decap's bundle (it asks Decap not to start by itself), the format module (strict-frontmatter.js)
// runs after it, and once the page is read everything is registered and Decap is started.
//
// - Decap's Chinese words are changed where they would be confused with the record's own
//   网站显示状态 (草稿/已发布): Decap's states of a pull request are 编辑中 / 待审核 / 审核通过，
//   and the form has no button that publishes (collection `publish: false`, cms.py).
// - A pattern error says what is expected (the field's hint gives the example).
// - "来源编号" fields choose from the record's own 资料来源 (widget `source`).
// - Saving is refused, with the fields named by their labels, when an image has no alt text.
(function () {
  "use strict";
  window.CMS_MANUAL_INIT = true;

  var WORDS = {
    editor: {
      editorToolbar: {
        status: "审核进度：%{status}", draft: "编辑中", inReview: "待审核", ready: "审核通过",
        publish: "合并", published: "已合并到网站", publishNow: "合并",
        publishing: "正在合并…", unpublish: "撤回", unpublishing: "正在撤回…",
        publishAndCreateNew: "合并，然后新建", publishAndDuplicate: "合并，然后复制",
        deleteUnpublishedChanges: "放弃尚未合并的修改", deleteUnpublishedEntry: "放弃这份新档案",
        deletePublishedEntry: "删除已合并的档案",
        deployButtonLabel: "查看网站", deployPreviewButtonLabel: "查看预览",
      },
      editorControlPane: {
        widget: {
          regexPattern: "“%{fieldLabel}”的写法不对：%{pattern}",
          required: "“%{fieldLabel}”必须填写",
        },
      },
      editor: {
        onPublishing: "合并后，修改会在下次生成网站时出现在网站上。确定合并吗？",
        onDeleteUnpublishedChanges: "尚未合并的修改都将被放弃，确定吗？",
      },
    },
    workflow: {
      workflow: {
        workflowHeading: "审核进度",
        newPost: "新建档案", // Decap's 新建帖子 ("new post")
        description: "%{smart_count} 份档案修改待审核，%{readyCount} 份审核通过、等待在代码仓库合并 |||| " +
          "%{smart_count} 份档案修改待审核，%{readyCount} 份审核通过、等待在代码仓库合并",
      },
      workflowCard: { publishChanges: "合并修改", publishNewEntry: "合并新档案",
                      deleteChanges: "放弃修改", deleteNewEntry: "放弃新档案" },
      workflowList: {
        draftHeader: "编辑中", inReviewHeader: "待审核", readyHeader: "审核通过",
        onPublishEntry: "确定合并这份档案吗？",
      },
    },
    app: { header: { workflow: "审核进度" } },
    ui: { toast: { entryPublished: "档案已合并", entrySaved: "已保存（在待审核的修改里，还没有上网站）" } },
  };

  function merge(base, extra) {
    var out = Object.assign({}, base);
    Object.keys(extra).forEach(function (k) {
      var v = extra[k];
      out[k] = v && typeof v === "object" && base && typeof base[k] === "object"
        ? merge(base[k], v) : v;
    });
    return out;
  }

  // react-select's English message when nothing matches what was typed
  function plainWords(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      if (node.nodeValue === "No options") node.nodeValue = "没有可选的项";
    }
  }

  // -- 来源编号: one of the record's own 资料来源 ------------------------------------------------

  function sourceIds(entry) {
    var sources = entry && entry.getIn ? entry.getIn(["data", "sources"]) : null;
    var out = [];
    if (sources && sources.forEach) {
      sources.forEach(function (s) {
        var id = s && s.get ? s.get("id") : null;
        var title = s && s.get ? s.get("title") || s.get("outlet") : null;
        if (id) out.push({ id: String(id), label: title ? id + "（" + title + "）" : String(id) });
      });
    }
    return out;
  }

  // Decap redraws a field inside a list item only when that item changes, so the `entry` it was
  // given does not follow the sources added further down: the control reads the record being
  // edited from Decap's store (found through the page's React tree) and redraws on its changes.
  function storeOf(node) {
    var key = node && Object.keys(node).find(function (k) {
      return k.indexOf("__reactFiber$") === 0 || k.indexOf("__reactInternalInstance$") === 0;
    });
    for (var f = key ? node[key] : null; f; f = f["return"]) {
      var props = f.memoizedProps;
      if (props && props.store && props.store.getState && props.store.subscribe) return props.store;
    }
    return null;
  }

  function sourceControl() {
    var h = window.h;
    return window.createClass({
      shouldComponentUpdate: function () { return true; },
      componentDidMount: function () {
        var self = this;
        var store = storeOf(this.select);
        if (!store) return;
        this.store = store;
        var last = null;
        this.unsubscribe = store.subscribe(function () {
          var entry = self.draft();
          var ids = JSON.stringify(sourceIds(entry));
          if (ids !== last) { last = ids; self.forceUpdate(); }
        });
        this.forceUpdate();
      },
      componentWillUnmount: function () { if (this.unsubscribe) this.unsubscribe(); },
      draft: function () {
        var state = this.store && this.store.getState();
        var entry = state && state.entryDraft && state.entryDraft.get("entry");
        return entry || this.props.entry;
      },
      render: function () {
        var self = this;
        var p = this.props;
        var value = p.value || "";
        var ids = sourceIds(this.draft());
        var options = [h("option", { key: "", value: "" }, ids.length ? "请选择" :
          "请先在下面的“资料来源”中添加一条")];
        ids.forEach(function (s) { options.push(h("option", { key: s.id, value: s.id }, s.label)); });
        if (value && !ids.some(function (s) { return s.id === value; })) {
          options.push(h("option", { key: value, value: value }, value + "（资料来源中没有这一条）"));
        }
        return h("select", {
          id: p.forID, value: value, className: p.classNameWrapper,
          ref: function (el) { self.select = el; },
          style: { width: "100%", fontSize: "16px", padding: "12px" },
          onFocus: p.setActiveStyle, onBlur: p.setInactiveStyle,
          onChange: function (e) { p.onChange(e.target.value); },
        }, options);
      },
    });
  }

  // -- an image needs its alt text -----------------------------------------------------------------

  function labelsOf(fields) {
    var out = {};
    (fields || []).forEach(function (f) {
      out[f.name] = { label: f.label, sub: labelsOf(f.fields || (f.field ? [f.field] : [])),
                      list: f.widget === "list" };
    });
    return out;
  }

  function missingAlt(value, tree, where, found) {
    if (Array.isArray(value)) {
      value.forEach(function (v, i) {
        missingAlt(v, tree, where.concat("第" + (i + 1) + "项"), found);
      });
      return;
    }
    if (!value || typeof value !== "object") return;
    // an image is a field table with an alt text (a video's file has none: its poster is checked)
    if (value.path && tree && tree.alt && !String(value.alt || "").trim()) found.push(where.join("·"));
    Object.keys(value).forEach(function (k) {
      var t = tree && tree[k];
      missingAlt(value[k], t ? t.sub : null, t ? where.concat(t.label) : where.concat(k), found);
    });
  }

  function checkAlt(data) {
    var config = window.siteBuilderConfig;
    var brands = config && (config.collections || []).find(function (c) { return c.name === "brands"; });
    var found = [];
    missingAlt(data && data.toJS ? data.toJS() : data, labelsOf(brands ? brands.fields : []), [], found);
    if (found.length) {
      throw new Error("这些图片还没有替代文字：" + found.join("；") +
        "。请在图片下面的“替代文字”中用一句话写出图片的内容，再保存。");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var CMS = window.CMS;
    if (!CMS) return;
    CMS.registerLocale("zh_Hans", merge(CMS.getLocale("zh_Hans") || {}, WORDS));
    CMS.registerWidget("source", sourceControl());
    CMS.registerEventListener({
      name: "preSave",
      handler: function (ev) { checkAlt(ev.entry.get("data")); return ev.entry.get("data"); },
    });
    new MutationObserver(function (records) {
      records.forEach(function (r) { r.addedNodes.forEach(function (n) {
        if (n.nodeType === 1) plainWords(n);
        else if (n.nodeType === 3 && n.nodeValue === "No options") n.nodeValue = "没有可选的项";
      }); });
    }).observe(document.body, { childList: true, subtree: true });
    CMS.init();
  });
})();
